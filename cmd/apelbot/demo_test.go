package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemo runs the whole simulated day through the real bot, scheduler and
// store, and checks what the people in it saw and what the report says.
func TestDemo(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "demo.db")
	var out, errOut bytes.Buffer
	if err := cmdDemo(context.Background(), []string{"-db", db}, &out, &errOut); err != nil {
		t.Fatalf("demo -db %s: %v\nstderr:\n%s\nstdout:\n%s", db, err, errOut.String(), out.String())
	}
	got := out.String()
	for _, want := range []string{
		"NIP tidak valid", // mistyped NIP
		"NIP ini sudah terhubung dengan akun Telegram lain",     // impostor refused
		"Ada percobaan mendaftarkan NIP milik Rina Marasabessy", // head warned
		"Maaf, Anda tidak berwenang melakukan ini.",             // staff cannot bind a group
		"Grup ini sekarang terhubung dengan Dinas Komunikasi",
		"Titik domisili Rina Marasabessy disetujui oleh Rahmat Hidayat",
		"Sudah hadir: 0/8", // the prompt
		"membuka chat pribadi: https://t.me/apel_test_bot?start=hadir",
		"Lokasi yang diteruskan dari chat lain tidak dapat dipakai",
		"Lokasi yang dipilih dari peta tidak dapat dipakai",
		"Anda sudah tercatat hadir pukul 07.20 WIT",
		"Di luar lokasi: 2002 m dari kantor",
		"Anda belum punya titik domisili yang disetujui",
		"Terlambat 6 menit",
		"Sudah hadir: 8/8", // a progress edit
		"Sukardi Mahmud sakit pada Selasa, 13 Januari 2026",
		"Apel pagi ditutup pukul 08.30 WIT dan Anda belum tercatat hadir", // reminder
		"Apel ini sudah ditutup",                                          // too late
		"Rekap apel pagi — Dinas Kesehatan",
		"Rosita Taher (197002091995122020) — pukul 08.20, 45 menit",
		"Apel pagi: ✅ hadir pukul 07.18 WIT", // /status
		"LAPORAN APEL HARIAN",
		"Pagi: hadir 24/26 (92,3%) · WFO 10 · WFH 14 · WFA 0 · terlambat 3 · di luar lokasi 2 · izin 1 · TK 2 · dikoreksi 1",
		"Koreksi tersimpan untuk Kamaruddin Usman", // /koreksi
		"TK → terlambat, lainnya: Hadir di kantor pukul 08.40",
		"Koreksi (1)", // in the daily report
		"$ apelbot report -date 2026-01-13",
		"Laporan kegiatan Anda untuk Selasa, 13 Januari 2026 tercatat", // /laporan
		"Belum mengirim laporan kegiatan (2):\n    • Nurul Aini Sahib", // /rekap
		"Laporan kegiatan (WFH/WFA): 9 dari 16",                        // the daily report
		"📎 laporan-apel-2026-01-13.xlsx",                               // its documents
		"📎 laporan-apel-2026-01-13.pdf",
		"EVALUASI BULANAN APEL", // /bulanan
		"📎 evaluasi-apel-2026-01.pdf",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo transcript lacks %q", want)
		}
	}
	// The report printed from the database equals the one the bot sent.
	_, fromDB, ok := strings.Cut(got, "$ apelbot report -date 2026-01-13\n")
	if !ok || !strings.Contains(fromDB, "Seluruh OPD (27 pegawai)") {
		t.Errorf("report from the database missing or wrong:\n%s", fromDB)
	}
	if strings.Contains(got, "%!") {
		t.Errorf("transcript has a formatting error (%%!):\n%s", got)
	}
	if t.Failed() {
		t.Logf("transcript:\n%s", got)
	}
}

// TestDemoQuiet prints only the report.
func TestDemoQuiet(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := cmdDemo(context.Background(), []string{"-quiet", "-db", filepath.Join(t.TempDir(), "d.db")}, &out, &errOut); err != nil {
		t.Fatalf("demo -quiet: %v", err)
	}
	if got := out.String(); strings.Contains(got, "👤") || !strings.Contains(got, "LAPORAN APEL HARIAN") {
		t.Errorf("demo -quiet printed:\n%s\nwant only the report", got)
	}
}
