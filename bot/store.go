package bot

import (
	"context"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Store is the persistence the bot needs. *store.DB implements it.
type Store interface {
	// Contact with Telegram and outages (liveness.go).
	LastContact(ctx context.Context) (time.Time, error)
	RecordContact(ctx context.Context, at time.Time, o apel.Outage) error
	RecordOutageStart(ctx context.Context, from time.Time) error

	// Corrections (correct.go).
	RecordCorrections(ctx context.Context, cs []apel.Correction) ([]int64, error)
	Corrections(ctx context.Context, d apel.Date) ([]apel.Correction, error)

	// Durable update handling.
	SaveUpdates(ctx context.Context, ups []apel.Inbound, at time.Time) error
	PendingUpdates(ctx context.Context, limit int) ([]apel.Inbound, error)
	MarkUpdateDone(ctx context.Context, id int64, at time.Time) error
	LastUpdateID(ctx context.Context) (int64, error)
	PurgeUpdates(ctx context.Context, before time.Time) (int, error)
	UpdateDone(ctx context.Context, id int64) (bool, error)
	// ClaimUpdate saves u unless saved and claims it for holder until
	// until, unless it is done or another claim runs (several replicas).
	ClaimUpdate(ctx context.Context, u apel.Inbound, holder string, now, until time.Time) (bool, error)
	// MarkDone records that the job key is done; true only the first time.
	MarkDone(ctx context.Context, key string, at time.Time) (bool, error)

	// Durable outbox (messages the scheduler asked for).
	QueueOutbound(ctx context.Context, o apel.Outbound, at time.Time) (bool, error)
	QueueOutbounds(ctx context.Context, os []apel.Outbound, at time.Time) error
	DueOutbound(ctx context.Context, now time.Time, limit int) ([]apel.Outbound, error)
	NextOutbound(ctx context.Context) (time.Time, error)
	MarkOutboundTried(ctx context.Context, id int64, at time.Time) error
	MarkOutboundPartSent(ctx context.Context, id int64, parts int) error
	MarkOutboundSent(ctx context.Context, id int64, messageID int, at time.Time) error
	RetryOutbound(ctx context.Context, id int64, next time.Time, reason string) error
	FinishOutbound(ctx context.Context, id int64, status, reason string, at time.Time) error
	RecoverOutbound(ctx context.Context, at time.Time) (resent, doubt int, err error)
	PurgeOutbound(ctx context.Context, before time.Time) (int, error)

	// Chats that refuse the bot.
	MarkUnreachable(ctx context.Context, telegramID int64, at time.Time) (bool, error)
	MarkReachable(ctx context.Context, telegramID int64) (bool, error)
	MarkReachableAll(ctx context.Context, telegramIDs []int64) ([]int64, error)
	Unreachable(ctx context.Context, opd string) ([]apel.Employee, error)
	LoseGroup(ctx context.Context, chatID int64, at time.Time) (string, bool, error)
	RestoreGroup(ctx context.Context, chatID int64) (string, bool, error)
	GroupLost(ctx context.Context, opd string) (bool, error)

	// People and groups.
	EmployeeByTelegram(ctx context.Context, telegramID int64) (apel.Employee, error)
	EmployeesByTelegram(ctx context.Context, telegramIDs []int64) (map[int64]apel.Employee, error)
	EmployeeByNIP(ctx context.Context, nip string) (apel.Employee, error)
	Employee(ctx context.Context, id int64) (apel.Employee, error)
	BindTelegram(ctx context.Context, nip string, telegramID int64, at time.Time) (apel.Employee, error)
	SetLanguage(ctx context.Context, employeeID int64, lang string) error
	Heads(ctx context.Context, opd string) ([]apel.Employee, error)
	Admins(ctx context.Context) ([]apel.Employee, error)
	BindGroup(ctx context.Context, opd string, chatID int64, by int64, at time.Time) error
	OPDOfChat(ctx context.Context, chatID int64) (string, error)
	MigrateChat(ctx context.Context, oldID, newID int64) error

	// Home points.
	ProposeHomePoint(ctx context.Context, employeeID int64, p apel.Point, accuracy float64, at time.Time) (apel.HomePoint, error)
	HomePoint(ctx context.Context, id int64) (apel.HomePoint, error)
	DecideHomePoint(ctx context.Context, id int64, approve bool, by int64, at time.Time) (apel.HomePoint, error)
	ApprovedHome(ctx context.Context, employeeID int64) (apel.HomePoint, error)
	ApprovedHomes(ctx context.Context, employeeIDs []int64) (map[int64]apel.HomePoint, error)
	SetAwaiting(ctx context.Context, telegramID int64, what string, until time.Time) error
	Awaiting(ctx context.Context, telegramID int64, now time.Time) (string, error)
	AwaitingOf(ctx context.Context, telegramIDs []int64, now time.Time) (map[int64]string, error)

	// Sessions and check-ins.
	Session(ctx context.Context, id int64) (apel.Session, error)
	Sessions(ctx context.Context, d apel.Date) ([]apel.Session, error)
	SessionAt(ctx context.Context, opd string, t time.Time) (apel.Session, error)
	SessionsAt(ctx context.Context, opds []string, ts []time.Time) ([]apel.Session, error)
	RecordCheckIn(ctx context.Context, c apel.CheckIn) (apel.CheckIn, error)
	// RecordCheckIns records a batch of check-ins, queues the replies
	// built from their outcomes and marks the batch's updates done, in one
	// transaction.
	RecordCheckIns(ctx context.Context, b apel.CheckInBatch, replies func([]apel.Recorded) []apel.Outbound) ([]apel.Recorded, error)
	CheckIn(ctx context.Context, sessionID, employeeID int64) (apel.CheckIn, error)
	RecordExcuse(ctx context.Context, x apel.Excuse, at time.Time) error
	Excuses(ctx context.Context, d apel.Date) ([]apel.Excuse, error)

	// PlanStamps tell when a plan the check-in path keeps is out of date
	// (plancache.go).
	PlanStamps(ctx context.Context, opds []string) (map[string]int64, error)

	// Plans, requests and the heads' changes to the rotation (plan.go).
	planStore

	// Activity reports, the heads' view and the monthly evaluation
	// (activity.go).
	reportStore

	// Evidence, live trails, flags and their review (flags.go).
	trustStore
}
