// Command apelbot runs the daily virtual roll call (apel) of a pemda's civil
// servants on Telegram.
//
//	apelbot serve  -config apelbot.yaml          run the bot (needs TELEGRAM_BOT_TOKEN)
//	apelbot demo   [-db FILE]                    a whole simulated day, offline
//	apelbot import -config apelbot.yaml FILE     import the staff roster (.csv or .xlsx)
//	apelbot report -config apelbot.yaml -date D  print the daily report of date D
//	apelbot report -config apelbot.yaml -month M the monthly evaluation of month M
//	apelbot backup -config apelbot.yaml -o FILE  online snapshot of the database
//	apelbot plan   -config apelbot.yaml -date D  who works where on date D, and why
//	apelbot bench  [-asn N] [-opds N] [-db DIR]  load test on a synthetic pemda (docs/PERFORMANCE.md)
//	apelbot migrate-store -from sqlite:PATH -to postgres://...  move the database to PostgreSQL
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // zones resolve in a distroless image too
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "apelbot:", err)
		os.Exit(1)
	}
}

// errUsage means the command line was wrong; the usage has been printed.
var errUsage = errors.New("usage")

const usage = `apelbot: virtual apel (roll call) bot for a pemda's civil servants

Usage:
  apelbot serve  [-config FILE]                 run the bot (TELEGRAM_BOT_TOKEN required)
  apelbot demo   [-db FILE] [-quiet] [-log]     run a whole simulated day offline
  apelbot import [-config FILE] [-db FILE] ROSTER.csv|ROSTER.xlsx
  apelbot report [-config FILE] [-db FILE] -date YYYY-MM-DD [-format text|csv|xlsx|pdf] [-o FILE]
  apelbot report [-config FILE] [-db FILE] -month YYYY-MM [-format text|xlsx|pdf] [-o FILE]
  apelbot backup [-config FILE] [-db FILE] -o FILE
  apelbot plan   [-config FILE] [-db FILE | -roster FILE] [-date YYYY-MM-DD] [-opd CODE]
  apelbot bench  [-asn 50000] [-opds 1000] [-db DIR] [-run PHASES] [-previous FILE]
  apelbot migrate-store -from sqlite:PATH -to postgres://... [-check]
`

// dispatch runs the subcommand named by args[0].
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stderr, getenv)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr, getenv)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr, getenv)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr, getenv)
	case "plan":
		return cmdPlan(ctx, rest, stdout, stderr, getenv)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "migrate-store":
		return cmdMigrateStore(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "apelbot: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}
