package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/locales"
	"github.com/apelbot/apelbot/store"
)

// testConfig is the demo's configuration with a database in a temp dir.
func testConfig(t *testing.T) Config {
	t.Helper()
	raw, err := demoFS.ReadFile("demo/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(raw, func(string) string { return "" })
	if err != nil {
		t.Fatalf("demo config: %v", err)
	}
	cfg.Database = filepath.Join(t.TempDir(), "apelbot.db")
	return cfg
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func countEmployees(t *testing.T, cfg Config) (active, all int) {
	t.Helper()
	db, err := store.Open(context.Background(), cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	emps, err := db.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emps {
		if e.Active {
			active++
		}
	}
	return active, len(emps)
}

func TestImportAllOrNothing(t *testing.T) {
	t.Parallel()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer("id")
	cfg := testConfig(t)
	ctx := context.Background()

	bad := writeFile(t, "bad.csv", "NIP;Nama;Kode OPD;Jabatan;Peran\n"+
		"197803132005011001;Rahmat Hidayat;DISKOMINFO;Kepala Dinas;kepala\n"+
		"\n"+
		"19780313200501100;Pendek;DISKOMINFO;;staf\n"+ // line 4: 17 digits
		"197803132005011001;Ganda;DISKOMINFO;;staf\n"+ // line 5: duplicate
		"198503122010011002;;DINSOS;;bos\n") // line 6: no name, unknown OPD, unknown role
	var out bytes.Buffer
	err = importRoster(ctx, cfg, p, bad, &out)
	if !errors.Is(err, errNothingImported) {
		t.Fatalf("import bad roster: err = %v, want errNothingImported", err)
	}
	for _, want := range []string{
		"5 baris bermasalah di bad.csv. Tidak ada data yang diimpor",
		`baris 4, kolom NIP: NIP harus 18 angka "19780313200501100"`,
		`baris 5, kolom NIP: NIP muncul lebih dari sekali "197803132005011001"`,
		`baris 6, kolom Nama: nama kosong ""`,
		`baris 6, kolom Kode OPD: kode OPD tidak ada di konfigurasi "DINSOS"`,
		`baris 6, kolom Peran: peran harus staf, kepala, atau admin "bos"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("import bad roster output lacks %q; got:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(cfg.Database); err == nil {
		if active, _ := countEmployees(t, cfg); active != 0 {
			t.Errorf("after a failed import: %d employees, want 0", active)
		}
	}

	good := writeFile(t, "good.csv", "\ufeffNIP,Nama,Kode OPD,Jabatan,Peran\n"+
		"197803132005011001,Rahmat Hidayat,DISKOMINFO,Kepala Dinas,kepala\n"+
		"198503122010011002,Siti Aminah,DISKOMINFO,Pranata Komputer,staf\n"+
		"199001012015032003,Budi Santoso,BAPPEDA,Perencana,\n")
	out.Reset()
	if err := importRoster(ctx, cfg, p, good, &out); err != nil {
		t.Fatalf("import good roster: %v\n%s", err, out.String())
	}
	if want := "3 pegawai di daftar; 3 baru, 0 berubah, 0 tidak lagi terdaftar"; !strings.Contains(out.String(), want) {
		t.Errorf("import output = %q, want it to contain %q", out.String(), want)
	}

	// Re-import: one changed, one gone, one new, one unchanged.
	again := writeFile(t, "again.csv", "NIP;Nama;Kode OPD;Jabatan;Peran\n"+
		"197803132005011001;Rahmat Hidayat;DISKOMINFO;Kepala Dinas;kepala\n"+
		"198503122010011002;Siti Aminah;BAPPEDA;Perencana;staf\n"+
		"199202022016042004;Nur Aisyah;DINKES;Perawat;staf\n")
	out.Reset()
	if err := importRoster(ctx, cfg, p, again, &out); err != nil {
		t.Fatalf("re-import: %v", err)
	}
	for _, want := range []string{"1 baru, 1 berubah, 1 tidak lagi terdaftar (dinonaktifkan), 1 tetap", "tidak lagi terdaftar: 199001012015032003 Budi Santoso (BAPPEDA)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("re-import output lacks %q; got:\n%s", want, out.String())
		}
	}
	if active, all := countEmployees(t, cfg); active != 3 || all != 4 {
		t.Errorf("after re-import: %d active of %d, want 3 of 4", active, all)
	}
}

func TestImportXLSX(t *testing.T) {
	t.Parallel()
	cat, _ := locales.Load()
	cfg := testConfig(t)
	f := excelize.NewFile()
	rows := [][]any{
		{"NIP", "Nama", "Kode OPD", "Jabatan", "Peran"},
		{"197803132005011001", "Rahmat Hidayat", "diskominfo", "Kepala Dinas", "Kepala"},
		{"198503122010011002", "Siti Aminah", "DISKOMINFO", "Pranata Komputer", "Staf"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := importRoster(context.Background(), cfg, cat.Printer("id"), path, &out); err != nil {
		t.Fatalf("import %s: %v\n%s", path, err, out.String())
	}
	if active, _ := countEmployees(t, cfg); active != 2 {
		t.Errorf("xlsx import: %d employees, want 2", active)
	}
}

func TestImportRejectsOtherFormats(t *testing.T) {
	t.Parallel()
	cat, _ := locales.Load()
	cfg := testConfig(t)
	path := writeFile(t, "roster.pdf", "%PDF")
	if err := importRoster(context.Background(), cfg, cat.Printer("id"), path, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "want a .csv or .xlsx") {
		t.Errorf("import %s: err = %v, want a format error", path, err)
	}
}
