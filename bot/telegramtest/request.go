package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// errClientGone marks a request whose client went away while sending it
// (a cancelled context); it is neither answered nor recorded.
var errClientGone = errors.New("client went away")

// maxBody is the largest request body the fake reads, Telegram's 50 MB
// upload limit.
const maxBody = 50 << 20

// request is a parsed method call.
type request struct {
	params map[string]string
	files  map[string]File
}

// parseRequest reads the query string and the body of r, which may be
// multipart/form-data (what go-telegram/bot sends), JSON or urlencoded.
// The returned maps are never nil, even with an error.
func parseRequest(r *http.Request) (request, error) {
	req := request{params: make(map[string]string), files: make(map[string]File)}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			req.params[k] = v[0]
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || r.Context().Err() != nil {
			return req, fmt.Errorf("%w: %w", errClientGone, err)
		}
		return req, fmt.Errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		// go-telegram/bot sends an empty body with a multipart content type
		// for methods without parameters (getMe).
		return req, nil
	}
	ct := r.Header.Get("Content-Type")
	mediaType, mp, err := mime.ParseMediaType(ct)
	if err != nil {
		return req, fmt.Errorf("content type %q: %w", ct, err)
	}
	switch mediaType {
	case "multipart/form-data":
		return req, parseMultipart(req, body, mp["boundary"])
	case "application/json":
		return req, parseJSON(req, body)
	case "application/x-www-form-urlencoded":
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return req, fmt.Errorf("urlencoded body: %w", err)
		}
		for k, v := range values {
			if len(v) > 0 {
				req.params[k] = v[0]
			}
		}
		return req, nil
	default:
		return req, fmt.Errorf("unsupported content type %q", ct)
	}
}

func parseMultipart(req request, body []byte, boundary string) error {
	if boundary == "" {
		return errors.New("multipart body without boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("multipart body: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return fmt.Errorf("multipart part %q: %w", part.FormName(), err)
		}
		if name := part.FileName(); name != "" {
			req.files[part.FormName()] = File{Name: name, Data: data}
		} else {
			req.params[part.FormName()] = string(data)
		}
	}
}

func parseJSON(req request, body []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return fmt.Errorf("JSON body: %w", err)
	}
	for k, raw := range fields {
		var s string
		switch {
		case string(raw) == "null":
			continue
		case json.Unmarshal(raw, &s) == nil:
			req.params[k] = s
		default:
			req.params[k] = string(raw)
		}
	}
	return nil
}

// chatID reads the required chat_id parameter.
func (req request) chatID() (int64, *apiError) {
	v := strings.TrimSpace(req.params["chat_id"])
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		// "@channel" usernames are not supported by the fake.
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// int reads an optional integer parameter; def when absent.
func (req request) int(name string, def int64) (int64, *apiError) {
	v := strings.TrimSpace(req.params[name])
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("invalid %s %q", name, v))
	}
	return n, nil
}
