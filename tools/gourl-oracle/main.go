// Command gourl-oracle runs Go's net/url.ParseRequestURI on inputs read from stdin and prints
// Go's verdict, so that the TypeScript port in src/webhooks/url can be compared with Go itself
// (src/webhooks/url/parse-request-uri.differential.test.ts builds and runs it).
//
// Input: JSON lines, or one JSON array, of objects {"id": 1, "input": "text"} or
// {"id": 1, "b64": "base64 bytes"} (base64 carries byte strings that are not valid UTF-8).
// Output: one JSON line per input, in input order:
//
//	{"id":1,"ok":true,"url":{...}}        every string field base64-encoded (Go strings are bytes)
//	{"id":1,"ok":false,"message":"..."}   err.Error() exactly as Go prints it
//
// Flags: -isprint prints Go's strconv.IsPrint as a JSON list of [first,last] code point ranges;
// -isprint-ts prints the same ranges as the TypeScript module src/webhooks/url/go-isprint-table.ts
// (regenerate with: go run ./tools/gourl-oracle -isprint-ts > src/webhooks/url/go-isprint-table.ts);
// -version prints the Go version that built the oracle.
//
// go.mod declares go 1.24, so GODEBUG defaults to urlstrictcolons=0 (the behaviour of a module
// such as CAPH that declares a go version before 1.26); run with GODEBUG=urlstrictcolons=1 for
// Go 1.26's strict colon rule.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"unicode"
	"unicode/utf8"
)

type request struct {
	ID    int     `json:"id"`
	Input *string `json:"input,omitempty"`
	B64   *string `json:"b64,omitempty"`
}

type user struct {
	Username    string `json:"username"`
	Password    string `json:"password"`
	PasswordSet bool   `json:"passwordSet"`
}

type fields struct {
	Scheme      string `json:"scheme"`
	Opaque      string `json:"opaque"`
	User        *user  `json:"user"`
	Host        string `json:"host"`
	Path        string `json:"path"`
	RawPath     string `json:"rawPath"`
	ForceQuery  bool   `json:"forceQuery"`
	RawQuery    string `json:"rawQuery"`
	Fragment    string `json:"fragment"`
	OmitHost    bool   `json:"omitHost"`
	EscapedPath string `json:"escapedPath"`
	RequestURI  string `json:"requestURI"`
}

type response struct {
	ID      int     `json:"id"`
	OK      bool    `json:"ok"`
	URL     *fields `json:"url,omitempty"`
	Message string  `json:"message,omitempty"`
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func describe(u *url.URL) *fields {
	f := &fields{
		Scheme:      b64(u.Scheme),
		Opaque:      b64(u.Opaque),
		Host:        b64(u.Host),
		Path:        b64(u.Path),
		RawPath:     b64(u.RawPath),
		ForceQuery:  u.ForceQuery,
		RawQuery:    b64(u.RawQuery),
		Fragment:    b64(u.Fragment),
		OmitHost:    u.OmitHost,
		EscapedPath: b64(u.EscapedPath()),
		RequestURI:  b64(u.RequestURI()),
	}
	if u.User != nil {
		password, set := u.User.Password()
		f.User = &user{Username: b64(u.User.Username()), Password: b64(password), PasswordSet: set}
	}
	return f
}

func answer(req request) (response, error) {
	var raw string
	switch {
	case req.Input != nil:
		raw = *req.Input
	case req.B64 != nil:
		decoded, err := base64.StdEncoding.DecodeString(*req.B64)
		if err != nil {
			return response{}, fmt.Errorf("id %d: bad base64: %w", req.ID, err)
		}
		raw = string(decoded)
	default:
		return response{}, fmt.Errorf("id %d: neither input nor b64", req.ID)
	}
	u, err := url.ParseRequestURI(raw)
	if err != nil {
		if !utf8.ValidString(err.Error()) {
			return response{}, fmt.Errorf("id %d: error text is not valid UTF-8", req.ID)
		}
		return response{ID: req.ID, Message: err.Error()}, nil
	}
	return response{ID: req.ID, OK: true, URL: describe(u)}, nil
}

func readRequests(r io.Reader) ([]request, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var list []request
		err := json.Unmarshal(trimmed, &list)
		return list, err
	}
	var list []request
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	for dec.More() {
		var req request
		if err := dec.Decode(&req); err != nil {
			return nil, err
		}
		list = append(list, req)
	}
	return list, nil
}

func printRanges(w io.Writer) error {
	return json.NewEncoder(w).Encode(isPrintRanges())
}

func isPrintRanges() [][2]rune {
	var ranges [][2]rune
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !strconv.IsPrint(r) {
			continue
		}
		if n := len(ranges); n > 0 && ranges[n-1][1] == r-1 {
			ranges[n-1][1] = r
		} else {
			ranges = append(ranges, [2]rune{r, r})
		}
	}
	return ranges
}

// printRangesTS writes the ranges as a TypeScript module, formatted as prettier formats it: each
// range is two base-36 numbers, the gap since the previous range's end and the range's length - 1.
func printRangesTS(w io.Writer) error {
	var numbers []string
	prev := rune(-1)
	for _, r := range isPrintRanges() {
		numbers = append(numbers, strconv.FormatInt(int64(r[0]-prev-1), 36), strconv.FormatInt(int64(r[1]-r[0]), 36))
		prev = r[1]
	}
	var lines []string
	line := ""
	for _, n := range numbers {
		if len(line)+len(n)+1 > 96 {
			lines = append(lines, line)
			line = ""
		}
		line += n + ","
	}
	lines = append(lines, line)
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by tools/gourl-oracle -isprint-ts (%s); DO NOT EDIT.\n", runtime.Version())
	b.WriteString("// Go's strconv.IsPrint as code point ranges: pairs of base-36 numbers, the gap since the previous\n")
	b.WriteString("// range's last code point and the range's length - 1. Unicode " + unicode.Version + ", as Go uses it.\n\n")
	b.WriteString("export const GO_UNICODE_VERSION = '" + unicode.Version + "';\n\n")
	b.WriteString("export const GO_ISPRINT_RANGES = [\n")
	for _, l := range lines {
		b.WriteString("  '" + l + "',\n")
	}
	b.WriteString("].join('');\n")
	_, err := w.Write(b.Bytes())
	return err
}

func run() error {
	isPrint := flag.Bool("isprint", false, "print strconv.IsPrint as code point ranges")
	isPrintTS := flag.Bool("isprint-ts", false, "print strconv.IsPrint ranges as a TypeScript module")
	version := flag.Bool("version", false, "print the Go version")
	flag.Parse()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	if *version {
		_, err := fmt.Fprintln(out, runtime.Version())
		return err
	}
	if *isPrint {
		return printRanges(out)
	}
	if *isPrintTS {
		return printRangesTS(out)
	}
	reqs, err := readRequests(os.Stdin)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, req := range reqs {
		resp, err := answer(req)
		if err != nil {
			return err
		}
		if err := enc.Encode(resp); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gourl-oracle:", err)
		os.Exit(1)
	}
}
