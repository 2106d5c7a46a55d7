package apel

import (
	"fmt"
	"regexp"
)

// OPD is an agency of the pemda.
type OPD struct {
	Code          string // short stable code, e.g. "DISKOMINFO"
	Name          string
	Office        Point // the office point WFO check-ins are judged against
	DirectService bool  // direct-service OPDs (health, fire, Dukcapil...) always work from office
}

var opdCode = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,31}$`)

// Validate checks o's fields.
func (o OPD) Validate() error {
	if !opdCode.MatchString(o.Code) {
		return fmt.Errorf("code %q: want 1-32 upper-case letters, digits, '-' or '_'", o.Code)
	}
	if o.Name == "" {
		return fmt.Errorf("opd %s: name is empty", o.Code)
	}
	if err := o.Office.Validate(); err != nil || o.Office.IsZero() {
		return fmt.Errorf("opd %s: office: want lat and lon of the office", o.Code)
	}
	return nil
}
