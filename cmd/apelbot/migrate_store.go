package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/apelbot/apelbot/store"
)

// cmdMigrateStore copies a pemda's database from SQLite into an empty
// PostgreSQL database (store.CopyTo: one transaction, ids kept, counts and
// checksums of every table compared before the commit), then compares both
// sides once more from fresh reads. With -check it copies nothing and only
// compares. The steps to switch a deployment are in the README.
func cmdMigrateStore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate-store", flag.ContinueOnError)
	from := fs.String("from", "", "source: sqlite:PATH (or a SQLite file path)")
	to := fs.String("to", "", "destination: postgres://... URL of an empty database or schema (migrated here)")
	check := fs.Bool("check", false, "copy nothing: compare every table of the two databases (rows and checksums)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "migrate-store: want -from sqlite:PATH -to postgres://...")
		return errUsage
	}
	if err := checkDatabase(*to); err != nil || !strings.Contains(*to, "://") || strings.HasPrefix(*to, "sqlite") {
		return fmt.Errorf("migrate-store: -to %s: want a postgres:// URL", redactDatabase(*to))
	}
	path := strings.TrimPrefix(*from, "sqlite:")
	if strings.Contains(*from, "://") {
		return fmt.Errorf("migrate-store: -from %s: want sqlite:PATH", redactDatabase(*from))
	}
	// Open would create a missing file: an empty source is a typo.
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("migrate-store: -from: %w", err)
	}
	src, err := store.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("migrate-store: source: %w", err)
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return fmt.Errorf("migrate-store: destination %s: %w", redactDatabase(*to), err)
	}
	defer dst.Close()

	if !*check {
		if _, err := src.CopyTo(ctx, dst); err != nil {
			if errors.Is(err, store.ErrNotEmpty) {
				return fmt.Errorf("migrate-store: %w; to compare it with the source instead, add -check", err)
			}
			return fmt.Errorf("migrate-store: %w", err)
		}
	}
	// Fresh reads of both sides, after the commit.
	want, err := src.Sums(ctx)
	if err != nil {
		return fmt.Errorf("migrate-store: source: %w", err)
	}
	got, err := dst.Sums(ctx)
	if err != nil {
		return fmt.Errorf("migrate-store: destination: %w", err)
	}
	printSums(stdout, want, got)
	if diff := store.SumMismatches(want, got); len(diff) > 0 {
		what := "the copy differs from the source (was the bot still writing to it? stop it, drop the destination and run migrate-store again)"
		if *check {
			what = "the databases differ"
		}
		return fmt.Errorf("migrate-store: %s:\n  %s", what, strings.Join(diff, "\n  "))
	}
	var rows int64
	for _, s := range want {
		rows += s.Rows
	}
	verb := "copied"
	if *check {
		verb = "compared"
	}
	fmt.Fprintf(stdout, "%s %d tables, %d rows: the counts and checksums of every table match\n", verb, len(want), rows)
	return nil
}

// printSums writes one line per table: rows and checksum on each side.
func printSums(w io.Writer, from, to []store.TableSum) {
	dst := map[string]store.TableSum{}
	for _, s := range to {
		dst[s.Table] = s
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "table\tsource rows\tdestination rows\tsha256 (source)\tsame\t")
	for _, s := range from {
		d := dst[s.Table]
		same := "yes"
		if d.Rows != s.Rows || d.SHA256 != s.SHA256 {
			same = "NO"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.16s\t%s\t\n", s.Table, s.Rows, d.Rows, s.SHA256, same)
	}
	_ = tw.Flush()
}
