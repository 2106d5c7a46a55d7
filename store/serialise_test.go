package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// TestApprovalsSerialised checks the guarantee every engine must give the
// policy rules: a write transaction's reads and writes are not interleaved
// with another's, even from another process. Two DBs on the same database
// (two replicas) approve four requests at once, two in each of two OPDs,
// under a quota of one approved request per OPD; exactly one per OPD is
// approved, the other refused by the check. The check pauses between reading the facts and
// deciding, so that an engine letting transactions interleave would let
// several through. (On SQLite the file's lock serialises the writers; on
// PostgreSQL, the store's advisory write lock.)
func TestApprovalsSerialised(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "apel.db")
	a := mustOpenAt(t, path)
	b := mustOpenAt(t, path)
	emps := mustSeed(t, a)
	var reqs []apel.Request
	for _, nip := range []string{"199001012015032001", "198503122010011002", "198807172012121003", "197912252005011004"} {
		r, err := a.CreateRequest(ctx, apel.Request{EmployeeID: emps[nip].ID, Kind: apel.RequestWFH, From: day1(), To: day1(),
			Reason: "menyusun laporan"}, at(7, 0))
		if err != nil {
			t.Fatalf("CreateRequest(%s): %v", nip, err)
		}
		reqs = append(reqs, r)
	}
	full := &apel.Refusal{Reason: apel.ReasonQuotaFull}
	quotaOfOne := func(_ apel.Request, f apel.Facts) error {
		n := len(f.Requests) // the approved requests the transaction sees
		time.Sleep(20 * time.Millisecond)
		if n >= 1 {
			return full
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make([]error, len(reqs))
	for i, r := range reqs {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.DecideRequest(ctx, apel.Decision{RequestID: r.ID, From: apel.RequestPending,
				To: apel.RequestApproved, By: 1, At: at(8, 0)}, quotaOfOne)
		}()
	}
	wg.Wait()
	approvedByOPD := map[string]int{}
	for i, err := range errs {
		switch {
		case err == nil:
			r, gerr := a.Request(ctx, reqs[i].ID)
			if gerr != nil {
				t.Fatalf("Request(%d): %v", reqs[i].ID, gerr)
			}
			for _, e := range emps {
				if e.ID == r.EmployeeID {
					approvedByOPD[e.OPD]++
				}
			}
		case !isReason(err, apel.ReasonQuotaFull):
			t.Errorf("DecideRequest(%d): %v, want approved or quota_full", reqs[i].ID, err)
		}
	}
	for _, opd := range []string{"DISKOMINFO", "DINKES"} {
		if n := approvedByOPD[opd]; n != 1 {
			t.Errorf("OPD %s: %d requests approved at once under a quota of one, want 1 (more: the transactions interleaved)", opd, n)
		}
	}
}
