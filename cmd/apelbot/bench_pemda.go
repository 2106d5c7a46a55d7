package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// benchDay is the working day the load test runs on: a Monday, WFO for
// everyone in the synthetic pemda.
var benchDay = apel.Date{Year: 2026, Month: time.January, Day: 12}

// benchZone is the synthetic pemda's time zone.
const benchZone = "Asia/Makassar"

// Telegram ids of the synthetic pemda: employee number i (from 1) is user
// benchUserBase+i, OPD number o (from 1) has group benchGroupBase-o.
const (
	benchUserBase  = 700_000_000
	benchGroupBase = -1_009_000_000_000
	benchBKPSDM    = -1_008_999_999_999
	benchHeadEvery = 50 // one head per this many staff, the first of each OPD
)

// benchPemda is a synthetic pemda: a configuration, a roster imported
// through `apelbot import`, every person registered with a Telegram id and
// every OPD group bound. It is built once per size in the bench directory
// and copied for each run.
type benchPemda struct {
	cfg    Config
	base   string // the generated database, never opened by a run
	asn    int
	opds   int
	people []benchPerson // by employee number
	// pg is the PostgreSQL server of a bench on PostgreSQL (nil: SQLite),
	// pgBase the database holding the generated pemda there.
	pg     *benchPostgres
	pgBase string
}

// benchPerson is one synthetic ASN.
type benchPerson struct {
	NIP    string
	User   int64 // Telegram user id
	OPD    int   // index into cfg.OPDs
	Head   bool
	Office apel.Point
}

// benchOffice is where OPD number o (from 0) has its office: a grid over a
// city of about 10 by 10 km.
func benchOffice(o int) apel.Point {
	return apel.Point{Lat: -5.10 - float64(o%40)*0.0025, Lon: 119.40 + float64(o/40)*0.0035}
}

// benchConfigYAML is the synthetic pemda's configuration file.
func benchConfigYAML(opds int, pagi, sore string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `# Synthetic pemda of apelbot bench: %d OPDs.
pemda: Kabupaten Uji Beban
timezone: %s
language: id
schedule:
  radius_m: 100
  national_holidays: false
  window:
    open_before: 15m
    late_after: 5m
    close_after: 60m
    remind_before: 15m
  days:
`, opds, benchZone)
	for _, d := range []string{"senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"} {
		fmt.Fprintf(&sb, "    %s: { pagi: %q, sore: %q, mode: WFO }\n", d, pagi, sore)
	}
	sb.WriteString("opds:\n")
	for o := range opds {
		p := benchOffice(o)
		fmt.Fprintf(&sb, "  - code: OPD%04d\n    name: Dinas Uji Nomor %d\n    office: { lat: %.5f, lon: %.5f }\n", o+1, o+1, p.Lat, p.Lon)
	}
	fmt.Fprintf(&sb, "report:\n  bkpsdm_chat: %d\nlog:\n  level: info\n", benchBKPSDM)
	return sb.String()
}

// benchNIP returns a plausible NIP for employee number i (from 1): birth
// dates and appointment months vary, the sequence makes it unique.
func benchNIP(i int) string {
	birth := time.Date(1965, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%(30*365))
	appoint := birth.AddDate(22+(i%10), 0, 0)
	return fmt.Sprintf("%s%s%d%03d", birth.Format("20060102"), appoint.Format("200601"), 1+i%2, i%1000)
}

// benchPeople returns the ASN of a pemda of asn ASN in opds OPDs, by OPD:
// the first of each is its head, the remainder of asn/opds goes to the
// last OPD.
func benchPeople(asn, opds int) []benchPerson {
	people := make([]benchPerson, 0, asn)
	perOPD := asn / opds
	for i := 1; i <= asn; i++ {
		o := min((i-1)/perOPD, opds-1)
		people = append(people, benchPerson{NIP: benchNIP(i), User: benchUserBase + int64(i), OPD: o,
			Head: (i-1)%perOPD == 0 && (i-1)/perOPD < opds, Office: benchOffice(o)})
	}
	return people
}

// newBenchPemda returns the synthetic pemda of asn ASN in opds OPDs,
// generating its database in dir unless it is there already (fresh
// regenerates it); with pg, in a database on that PostgreSQL server.
// Progress goes to log.
func newBenchPemda(ctx context.Context, dir string, asn, opds int, fresh bool, pg *benchPostgres, log io.Writer) (*benchPemda, error) {
	if asn < opds || opds < 1 {
		return nil, fmt.Errorf("bench: -asn %d -opds %d: want at least one ASN per OPD", asn, opds)
	}
	raw := benchConfigYAML(opds, "07:30", "16:00")
	cfg, err := ParseConfig([]byte(raw), nil)
	if err != nil {
		return nil, fmt.Errorf("bench config: %w", err)
	}
	p := &benchPemda{cfg: cfg, asn: asn, opds: opds,
		base: filepath.Join(dir, fmt.Sprintf("pemda-%d-%d.db", asn, opds))}
	p.people = benchPeople(asn, opds)
	if pg != nil {
		return p, p.generatePostgres(ctx, dir, raw, pg, fresh, log)
	}
	if _, err := os.Stat(p.base); err == nil && !fresh {
		fmt.Fprintf(log, "bench: reusing %s\n", p.base)
		return p, nil
	}
	removeDB(p.base)
	start := time.Now()
	if err := p.generate(ctx, dir, raw); err != nil {
		removeDB(p.base)
		return nil, err
	}
	fmt.Fprintf(log, "bench: generated %s (%d ASN, %d OPDs) in %v\n", p.base, asn, opds, time.Since(start).Round(time.Second))
	return p, nil
}

// generatePostgres is newBenchPemda's generation on PostgreSQL: in database
// apelbot_bench_pemda_ASN_OPDS, reused unless fresh.
func (p *benchPemda) generatePostgres(ctx context.Context, dir, raw string, pg *benchPostgres, fresh bool, log io.Writer) error {
	p.pg, p.pgBase = pg, fmt.Sprintf("apelbot_bench_pemda_%d_%d", p.asn, p.opds)
	p.base = pg.url(p.pgBase)
	if ok, err := pg.exists(ctx, p.pgBase); err != nil {
		return err
	} else if ok && !fresh {
		fmt.Fprintf(log, "bench: reusing PostgreSQL database %s\n", p.pgBase)
		return nil
	}
	if err := pg.create(ctx, p.pgBase); err != nil {
		return err
	}
	start := time.Now()
	if err := p.generate(ctx, dir, raw); err != nil {
		return errors.Join(err, pg.drop(ctx, p.pgBase))
	}
	fmt.Fprintf(log, "bench: generated PostgreSQL database %s (%d ASN, %d OPDs) in %v\n", p.pgBase, p.asn, p.opds, time.Since(start).Round(time.Second))
	return nil
}

// generate writes the configuration and the roster, imports the roster
// through the import command's path, registers everyone and binds every
// group.
func (p *benchPemda) generate(ctx context.Context, dir, raw string) error {
	if err := os.WriteFile(filepath.Join(dir, "bench.yaml"), []byte(raw), 0o600); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var sb strings.Builder
	sb.WriteString("NIP;Nama;Kode OPD;Jabatan;Peran\n")
	for i, ps := range p.people {
		role, job := "staf", "Pelaksana"
		if ps.Head {
			role, job = "kepala", "Kepala Dinas"
		}
		fmt.Fprintf(&sb, "%s;Pegawai Uji %06d;%s;%s;%s\n", ps.NIP, i+1, p.cfg.OPDs[ps.OPD].Code, job, role)
	}
	roster := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(roster, []byte(sb.String()), 0o600); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load locales: %w", err)
	}
	cfg := p.cfg
	cfg.Database = p.base
	if err := importRoster(ctx, cfg, cat.Printer("en"), roster, io.Discard); err != nil {
		return fmt.Errorf("bench: import roster: %w", err)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	at := benchDay.AddDays(-3).At(apel.Clock{Hour: 19}, cfg.Policy.Location)
	for _, ps := range p.people {
		if _, err := db.BindTelegram(ctx, ps.NIP, ps.User, at); err != nil {
			return fmt.Errorf("bench: register %s: %w", ps.NIP, err)
		}
	}
	for o, opd := range cfg.OPDs {
		if err := db.BindGroup(ctx, opd.Code, benchGroupBase-int64(o+1), 0, at); err != nil {
			return fmt.Errorf("bench: bind group of %s: %w", opd.Code, err)
		}
	}
	return nil
}

// copyTo copies the generated database to path (replacing it) for one run.
func (p *benchPemda) copyTo(path string) error {
	removeDB(path)
	in, err := os.Open(p.base)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer in.Close()
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("bench: copy database: %w", err)
	}
	return out.Close()
}

// removeDB removes a database file with its WAL and shared-memory files.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
	}
}
