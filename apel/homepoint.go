package apel

import "time"

// HomeStatus is the review state of a registered home point (titik domisili).
type HomeStatus string

// Home point states. A new point starts pending; approving it supersedes the
// previously approved one, which is kept as history.
const (
	HomePending    HomeStatus = "pending"
	HomeApproved   HomeStatus = "approved"
	HomeRejected   HomeStatus = "rejected"
	HomeSuperseded HomeStatus = "superseded"
)

// HomePoint is a home point an ASN registered, where WFH check-ins are judged.
type HomePoint struct {
	ID          int64
	EmployeeID  int64
	Point       Point
	Accuracy    float64
	Status      HomeStatus
	RequestedAt time.Time
	DecidedBy   int64 // employee id, 0 while pending
	DecidedAt   time.Time
	// PurgedAt is when the coordinates of a superseded or rejected point
	// were deleted at the end of the retention period; Point is then zero.
	PurgedAt time.Time
}

// HomeApprover says who approves home points.
type HomeApprover string

// Home point approvers.
const (
	ApproveByHead   HomeApprover = "head"   // the OPD head (or any admin)
	ApproveByBKPSDM HomeApprover = "bkpsdm" // BKPSDM admins only
)

// CanApproveHome reports whether approver may decide on a home point of
// owner under rule.
func CanApproveHome(rule HomeApprover, approver, owner Employee) bool {
	if !approver.Active || approver.ID == owner.ID { // nobody approves their own home
		return false
	}
	if rule == ApproveByBKPSDM {
		return approver.Role == RoleAdmin
	}
	return approver.CanManage(owner.OPD)
}
