package main

// special are the people the morning script handles one by one; everyone
// else registered checks in on time, in place.
var special = map[string]bool{
	"Rina Marasabessy": true, "Fadli Abdullah": true, "Nurul Aini Sahib": true, "Arman Syah": true,
	"Dewi Sartika Hamid": true, "Ikbal Tomagola": true, "Sukardi Mahmud": true, "Rosita Taher": true,
	"Kamaruddin Usman": true,
}

// morning: apel pagi from prompt to the heads' summaries.
func (d *demo) morning() error {
	d.at(demoDay, 7, 15)
	d.say("demo.step_open_pagi")
	if err := d.tick(); err != nil {
		return err
	}
	d.at(demoDay, 7, 18)
	d.say("demo.step_checkin")
	rina := d.who("Rina Marasabessy")
	if err := d.checkIn(rina, near(rina.Home, 15)); err != nil {
		return err
	}
	d.at(demoDay, 7, 20)
	n := 0
	if err := d.quietly(func() error {
		for _, ps := range d.people {
			if special[ps.Name] || unregistered[ps.Name] {
				continue
			}
			// Half a metre apart: real GPS never gives two people the same
			// coordinates, and identical ones would be flagged.
			if err := d.checkIn(ps, near(d.place(ps), 20+float64(n)/2)); err != nil {
				return err
			}
			n++
		}
		return nil
	}); err != nil {
		return err
	}
	d.say("demo.step_checkin_rest", n)

	fadli, nurul, head := d.who("Fadli Abdullah"), d.who("Nurul Aini Sahib"), d.who("Rahmat Hidayat")
	d.at(demoDay, 7, 22)
	d.say("demo.step_forwarded")
	if err := inOrder([]func() error{
		func() error { return d.tap(fadli) },
		func() error { return d.text(fadli, 0, "/start hadir") },
		func() error {
			d.user(fadli, d.p.T("demo.forwards_location"))
			return d.wait(d.srv.SendForwardedLocation(fadli.User, d.clock.Now(), head.Home.Lat, head.Home.Lon))
		},
		func() error { return d.locate(fadli, near(fadli.Home, 10), 9) },
	}); err != nil {
		return err
	}
	d.at(demoDay, 7, 24)
	d.say("demo.step_venue")
	if err := inOrder([]func() error{
		func() error { return d.text(nurul, 0, "/hadir") },
		func() error {
			d.user(nurul, d.p.T("demo.picks_venue"))
			return d.wait(d.srv.SendVenue(nurul.User, d.clock.Now(), nurul.Home.Lat, nurul.Home.Lon, "Rumah"))
		},
		func() error { return d.locate(nurul, near(nurul.Home, 5), 14) },
	}); err != nil {
		return err
	}
	d.at(demoDay, 7, 25)
	d.say("demo.step_tap_again")
	if err := d.tap(head); err != nil {
		return err
	}
	arman, dewi, ikbal := d.who("Arman Syah"), d.who("Dewi Sartika Hamid"), d.who("Ikbal Tomagola")
	d.at(demoDay, 7, 31)
	d.say("demo.step_no_home")
	if err := d.checkIn(arman, arman.Home); err != nil {
		return err
	}
	d.at(demoDay, 7, 33)
	d.say("demo.step_out_of_place")
	if err := d.checkIn(dewi, near(dewi.Home, 2000)); err != nil {
		return err
	}
	d.at(demoDay, 7, 41)
	d.say("demo.step_late")
	if err := d.checkIn(ikbal, near(ikbal.Home, 12)); err != nil {
		return err
	}
	d.at(demoDay, 7, 45)
	d.say("demo.step_progress")
	if err := d.tick(); err != nil {
		return err
	}
	d.at(demoDay, 7, 50)
	d.say("demo.step_excuse")
	if err := d.text(d.who("Hasan Basri Ibrahim"), 0, "/izin "+d.who("Sukardi Mahmud").NIP+" sakit"); err != nil {
		return err
	}
	d.at(demoDay, 8, 15)
	d.say("demo.step_remind")
	if err := d.tick(); err != nil {
		return err
	}
	rosita := d.who("Rosita Taher")
	d.at(demoDay, 8, 20)
	d.say("demo.step_after_reminder")
	if err := d.locate(rosita, near(d.office(rosita), 30), 20); err != nil {
		return err
	}
	d.at(demoDay, 8, 30)
	d.say("demo.step_close")
	if err := d.tick(); err != nil {
		return err
	}
	d.at(demoDay, 8, 40)
	d.say("demo.step_too_late")
	kama := d.who("Kamaruddin Usman")
	if err := d.locate(kama, near(d.office(kama), 10), 10); err != nil {
		return err
	}
	d.at(demoDay, 9, 0)
	d.say("demo.step_status")
	if err := d.text(rina, 0, "/status"); err != nil {
		return err
	}
	// Kamaruddin was at the office but sent his location after closing:
	// his head corrects his TK to late, with the reason on the record.
	d.at(demoDay, 9, 10)
	d.say("demo.step_correct")
	sarina := d.who("dr. Sarina Hi. Ali")
	return d.steps(
		func() error { return d.text(sarina, 0, "/koreksi "+kama.NIP+" pagi") },
		func() error { return d.press(sarina, ":t") },   // terlambat
		func() error { return d.press(sarina, ":t:4") }, // lainnya
		func() error {
			return d.text(sarina, 0, "Hadir di kantor pukul 08.40; lokasi ditolak karena apel sudah ditutup.")
		},
		func() error { return d.press(sarina, "kx:ok") },
	)
}

// afternoon: apel sore, its summaries and the daily report.
func (d *demo) afternoon() error {
	absent := map[string]bool{"Ikbal Tomagola": true, "Kamaruddin Usman": true, "Sukardi Mahmud": true}
	late := map[string]bool{"Yuliana Kaunar": true, "Muhammad Rizal": true}
	if err := d.activities(); err != nil {
		return err
	}
	d.at(demoDay, 15, 45)
	d.say("demo.step_open_sore")
	if err := d.tick(); err != nil {
		return err
	}
	for _, phase := range []struct {
		hh, mm int
		late   bool
	}{{15, 52, false}, {16, 12, true}} {
		d.at(demoDay, phase.hh, phase.mm)
		n := 0
		if err := d.quietly(func() error {
			for _, ps := range d.people {
				if unregistered[ps.Name] || absent[ps.Name] || late[ps.Name] != phase.late {
					continue
				}
				if err := d.checkIn(ps, near(d.place(ps), 25+float64(n)/2)); err != nil {
					return err
				}
				n++
			}
			return nil
		}); err != nil {
			return err
		}
		key := "demo.step_sore_checkins"
		if phase.late {
			key = "demo.step_sore_late"
		}
		d.say(key, n)
	}
	d.at(demoDay, 16, 45)
	d.say("demo.step_remind")
	if err := d.tick(); err != nil {
		return err
	}
	d.at(demoDay, 17, 0)
	d.say("demo.step_close_sore")
	if err := d.tick(); err != nil {
		return err
	}
	d.at(demoDay, 17, 30)
	d.say("demo.step_bulanan")
	return d.text(d.who("Marwah Jafar"), 0, "/bulanan 2026-01")
}

// activities: staff working from home send their activity reports, and a
// head checks who has not.
func (d *demo) activities() error {
	d.at(demoDay, 14, 30)
	d.say("demo.step_activity")
	rina, fadli := d.who("Rina Marasabessy"), d.who("Fadli Abdullah")
	steps := []func() error{
		func() error {
			return d.text(rina, 0, "/laporan Menyusun siaran pers kegiatan Wali Kota dan menjawab pertanyaan warga di media sosial")
		},
		func() error { return d.text(fadli, 0, "/laporan") },
		func() error {
			return d.text(fadli, 0, "Memperbarui sertifikat keamanan situs pemda; uji coba layanan persandian")
		},
	}
	if err := inOrder(steps); err != nil {
		return err
	}
	// Half of the others working from home report too.
	n := 0
	if err := d.quietly(func() error {
		for i, ps := range d.people {
			if ps == rina || ps == fadli || unregistered[ps.Name] || i%2 == 0 || d.place(ps) != ps.Home {
				continue
			}
			if err := d.text(ps, 0, "/laporan Menyelesaikan tugas harian sesuai rencana kerja"); err != nil {
				return err
			}
			n++
		}
		return nil
	}); err != nil {
		return err
	}
	d.say("demo.step_activity_rest", n)
	d.at(demoDay, 15, 0)
	d.say("demo.step_rekap")
	return d.text(d.who("Rahmat Hidayat"), 0, "/rekap")
}
