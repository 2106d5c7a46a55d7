package apel

import (
	"fmt"
	"strings"
	"time"
)

// RequestKind is what an ASN asks for: to work off-site on a date, or to be
// excused from apel.
type RequestKind string

// Request kinds.
const (
	RequestWFH       RequestKind = "wfh"
	RequestWFA       RequestKind = "wfa"
	RequestIzin      RequestKind = "izin"
	RequestSakit     RequestKind = "sakit"
	RequestCuti      RequestKind = "cuti"
	RequestDinasLuar RequestKind = "dinas_luar"
)

// RequestKinds lists every request kind.
func RequestKinds() []RequestKind {
	return []RequestKind{RequestWFH, RequestWFA, RequestIzin, RequestSakit, RequestCuti, RequestDinasLuar}
}

// ParseRequestKind reads the kind word of a request: wfh, wfa, or an excuse
// (izin, sakit, cuti, dl); "wfa-ln" (luar negeri) or "wfa-abroad" is WFA
// abroad.
func ParseRequestKind(s string) (k RequestKind, abroad bool, err error) {
	switch w := strings.ToLower(strings.TrimSpace(s)); w {
	case "wfh":
		return RequestWFH, false, nil
	case "wfa":
		return RequestWFA, false, nil
	case "wfa-ln", "wfa_ln", "wfaln", "wfa-abroad":
		return RequestWFA, true, nil
	default:
		x, err := ParseExcuseKind(w)
		if err != nil {
			return "", false, fmt.Errorf("unknown request %q: want wfh, wfa, wfa-ln, izin, sakit, cuti or dl", s)
		}
		return RequestKind(x), false, nil
	}
}

// Mode is the work mode asked for, "" for an excuse.
func (k RequestKind) Mode() Mode {
	switch k {
	case RequestWFH:
		return WFH
	case RequestWFA:
		return WFA
	}
	return ""
}

// Excuse is the excuse asked for, "" for a work mode.
func (k RequestKind) Excuse() ExcuseKind {
	switch k {
	case RequestIzin, RequestSakit, RequestCuti, RequestDinasLuar:
		return ExcuseKind(k)
	}
	return ""
}

// RequestStatus is where a request stands.
type RequestStatus string

// Request states. A request starts pending with the OPD head; one that
// needs the PPK's approval (see Escalation) waits for it after the head's.
const (
	RequestPending    RequestStatus = "pending"
	RequestPendingPPK RequestStatus = "pending_ppk"
	RequestApproved   RequestStatus = "approved"
	RequestRejected   RequestStatus = "rejected"
)

// MaxRequestDays is the longest range one request may cover.
const MaxRequestDays = 31

// Request is an ASN's request to work off-site, or to be excused, on a range
// of dates.
type Request struct {
	ID          int64
	EmployeeID  int64
	Kind        RequestKind
	From, To    Date   // inclusive
	Reason      string // why
	Plan        string // the work plan, for WFH and WFA
	Place       string // where, for WFA
	Abroad      bool   // WFA abroad (luar negeri)
	Status      RequestStatus
	RequestedAt time.Time
	DecidedBy   int64 // employee id of the last decision, 0 while pending
	DecidedAt   time.Time
}

// Covers reports whether r is for date d.
func (r Request) Covers(d Date) bool { return !d.Before(r.From) && !r.To.Before(d) }

// Dates lists the dates r covers.
func (r Request) Dates() []Date {
	var out []Date
	for d := r.From; !r.To.Before(d) && len(out) <= MaxRequestDays; d = d.AddDays(1) {
		out = append(out, d)
	}
	return out
}

// Check refuses a request that is incomplete or whose dates are wrong, as
// of the date today: a reason always; a work plan for WFH and WFA; a place
// for WFA; dates from today on, in order, at most MaxRequestDays long.
func (r Request) Check(today Date) error {
	switch {
	case r.Kind.Mode() == "" && r.Kind.Excuse() == "":
		return &Refusal{Reason: ReasonRequestIncomplete, Detail: "kind"}
	case strings.TrimSpace(r.Reason) == "",
		r.Kind.Mode() != "" && strings.TrimSpace(r.Plan) == "",
		r.Kind == RequestWFA && strings.TrimSpace(r.Place) == "":
		return Refuse(ReasonRequestIncomplete)
	case r.Abroad && r.Kind != RequestWFA:
		return &Refusal{Reason: ReasonRequestIncomplete, Detail: "abroad is for WFA"}
	case r.From.IsZero() || r.To.Before(r.From) || r.From.Before(today):
		return Refuse(ReasonRequestDates)
	case r.From.AddDays(MaxRequestDays - 1).Before(r.To):
		return &Refusal{Reason: ReasonRequestDates, Detail: "too long"}
	}
	return nil
}

// RequestAction is one step in a request's audit trail.
type RequestAction string

// Request actions.
const (
	ActionRequested RequestAction = "requested" // the ASN asked
	ActionForwarded RequestAction = "forwarded" // the head approved; it goes to the PPK's approver
	ActionApproved  RequestAction = "approved"  // final approval
	ActionRejected  RequestAction = "rejected"
)

// Decision is one step an approver takes on a request: from the status they
// saw to pending_ppk (forwarding it to the PPK), approved or rejected.
type Decision struct {
	RequestID int64
	From, To  RequestStatus
	By        int64 // the deciding employee
	At        time.Time
}

// RequestEvent is one line of a request's audit trail: who did what, when.
type RequestEvent struct {
	RequestID int64
	At        time.Time
	By        int64 // employee id
	Action    RequestAction
}

// CanDecideRequest reports whether approver may decide on owner's request
// r at its current stage: a pending request by whoever manages owner's OPD
// (its head, or an admin); one pending with the PPK by the people esc names,
// or the admins when it names none. Nobody decides their own request.
func CanDecideRequest(esc Escalation, r Request, approver, owner Employee) bool {
	if !approver.Active || approver.ID == owner.ID {
		return false
	}
	switch r.Status {
	case RequestPending:
		return approver.CanManage(owner.OPD)
	case RequestPendingPPK:
		if len(esc.NIPs) == 0 {
			return approver.Role == RoleAdmin
		}
		for _, n := range esc.NIPs {
			if n == approver.NIP {
				return true
			}
		}
	}
	return false
}

// NextStatus is the status an approval moves r to: on to the PPK when esc
// requires it and the head has just approved, else approved.
func NextStatus(esc Escalation, r Request) RequestStatus {
	if r.Status == RequestPending && esc.Needs(r) {
		return RequestPendingPPK
	}
	return RequestApproved
}

// Shift is an OPD head's change to the rotation for one person on one date.
type Shift struct {
	OPD        string
	Date       Date
	EmployeeID int64
	Mode       Mode // WFO, or the off-site mode
	By         int64
	At         time.Time
}
