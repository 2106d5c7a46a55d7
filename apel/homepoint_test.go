package apel_test

import (
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestCanApproveHome(t *testing.T) {
	t.Parallel()
	owner := apel.Employee{ID: 10, OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	head := apel.Employee{ID: 20, OPD: "DISKOMINFO", Role: apel.RoleHead, Active: true}
	otherHead := apel.Employee{ID: 21, OPD: "DINKES", Role: apel.RoleHead, Active: true}
	colleague := apel.Employee{ID: 11, OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	admin := apel.Employee{ID: 30, OPD: "BKPSDM", Role: apel.RoleAdmin, Active: true}
	formerHead := head
	formerHead.Active = false
	formerAdmin := admin
	formerAdmin.Active = false
	headsOwn := apel.Employee{ID: 20, OPD: "DISKOMINFO", Role: apel.RoleHead, Active: true}

	tests := []struct {
		name     string
		rule     apel.HomeApprover
		approver apel.Employee
		owner    apel.Employee
		want     bool
	}{
		{"head of same OPD approves", apel.ApproveByHead, head, owner, true},
		{"head of other OPD may not", apel.ApproveByHead, otherHead, owner, false},
		{"a colleague of the same OPD may not", apel.ApproveByHead, colleague, owner, false},
		{"staff may not approve their own point", apel.ApproveByHead, owner, owner, false},
		{"head may not approve own home point", apel.ApproveByHead, head, headsOwn, false},
		{"any admin may approve under the head rule", apel.ApproveByHead, admin, owner, true},
		{"an inactive head may not", apel.ApproveByHead, formerHead, owner, false},
		{"an inactive admin may not", apel.ApproveByHead, formerAdmin, owner, false},
		{"bkpsdm rule: an admin approves", apel.ApproveByBKPSDM, admin, owner, true},
		{"bkpsdm rule: only admins, not the head of the same OPD", apel.ApproveByBKPSDM, head, owner, false},
		{"bkpsdm rule: not staff", apel.ApproveByBKPSDM, colleague, owner, false},
		{"bkpsdm rule: not an inactive admin", apel.ApproveByBKPSDM, formerAdmin, owner, false},
		{"bkpsdm rule: a head may not approve own point", apel.ApproveByBKPSDM, head, headsOwn, false},
	}
	for _, tt := range tests {
		if got := apel.CanApproveHome(tt.rule, tt.approver, tt.owner); got != tt.want {
			t.Errorf("%s: CanApproveHome(%s, %+v, %+v) = %v, want %v", tt.name, tt.rule, tt.approver, tt.owner, got, tt.want)
		}
	}
}
