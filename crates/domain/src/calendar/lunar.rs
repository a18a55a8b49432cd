//! The Vietnamese lunisolar calendar (âm lịch), computed astronomically for Vietnam's time zone
//! (UTC+7), which is why some years' Tết differs from China's (1985, 2007). New moons and the sun's
//! longitude follow the low-precision series of Meeus, *Astronomical Algorithms* (ch. 25 and 49):
//! accurate to minutes, enough to tell the day.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};

/// Vietnam's offset from UTC, in hours.
const TIME_ZONE: f64 = 7.0;
/// The mean length of a lunation, in days.
const SYNODIC_MONTH: f64 = 29.530588853;

/// A lunar date: day 1–30, month 1–12, the lunar year (the Gregorian year its month 1 falls in),
/// and whether the month is the year's leap month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

fn julian_day(date: NaiveDate) -> i64 {
    // Days from 1 January 4713 BC (proleptic Julian): chrono counts from 1 January 1 (CE).
    i64::from(date.num_days_from_ce()) + 1_721_425
}

fn from_julian_day(jd: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jd - 1_721_425).ok()?)
}

/// The moment of the `k`-th new moon after 1 January 1900, as a Julian date (UT).
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let rad = PI / 180.0;
    let mut jd = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * rad).sin();
    // Mean anomalies of the sun and the moon, and the moon's argument of latitude.
    let m = (359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3) * rad;
    let mp = (306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3) * rad;
    let f = (21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3) * rad;
    let correction = (0.1734 - 0.000_393 * t) * m.sin() + 0.0021 * (2.0 * m).sin()
        - 0.4068 * mp.sin()
        + 0.0161 * (2.0 * mp).sin()
        - 0.0004 * (3.0 * mp).sin()
        + 0.0104 * (2.0 * f).sin()
        - 0.0051 * (m + mp).sin()
        - 0.0074 * (m - mp).sin()
        + 0.0004 * (2.0 * f + m).sin()
        - 0.0004 * (2.0 * f - m).sin()
        - 0.0006 * (2.0 * f + mp).sin()
        + 0.0010 * (2.0 * f - mp).sin()
        + 0.0005 * (2.0 * mp + m).sin();
    // Terrestrial time minus universal time, in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd + correction - delta_t
}

/// The Julian day number of the local day on which the `k`-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The sun's apparent longitude, in radians from 0 to 2π, at the Julian date `jd` (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let rad = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let center = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (rad * m).sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * rad * m).sin()
        + 0.000_290 * (3.0 * rad * m).sin();
    let l = (l0 + center) * rad;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the twelve 30° sectors the sun is in at the start of local day `day` (0 = the
/// sector that begins at the spring equinox).
fn sun_sector(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// The first day of the lunar month that contains the winter solstice of Gregorian year `year`
/// (month 11, by which every lunar year is anchored).
fn month_eleven(year: i32) -> Option<i64> {
    let december_31 = julian_day(NaiveDate::from_ymd_opt(year, 12, 31)?);
    let k = ((december_31 - 2_415_021) as f64 / SYNODIC_MONTH).floor() as i64;
    let start = new_moon_day(k);
    // A month starting after the sun entered the solstice's sector is month 12: step back one.
    Some(if sun_sector(start) >= 9 {
        new_moon_day(k - 1)
    } else {
        start
    })
}

/// How many months after month 11 the leap month of a 13-month year comes: the first month with
/// no major solar term.
fn leap_month_offset(month_eleven_day: i64) -> i64 {
    let k =
        ((month_eleven_day as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut last;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The lunar date of a Gregorian date.
pub fn to_lunar(date: NaiveDate) -> Option<LunarDate> {
    let day = julian_day(date);
    let k = ((day as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH).floor() as i64;
    let mut month_start = new_moon_day(k + 1);
    if month_start > day {
        month_start = new_moon_day(k);
    }
    let mut a11 = month_eleven(date.year())?;
    let mut b11 = a11;
    let year = if a11 >= month_start {
        a11 = month_eleven(date.year() - 1)?;
        date.year()
    } else {
        b11 = month_eleven(date.year() + 1)?;
        date.year() + 1
    };
    let lunar_day = (day - month_start + 1) as u32;
    let diff = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    let year = if month >= 11 && diff < 4 {
        year - 1
    } else {
        year
    };
    Some(LunarDate {
        day: lunar_day,
        month: month as u32,
        year,
        leap,
    })
}

/// The Gregorian date of a lunar date; `None` for a date that does not exist (a leap month the
/// year does not have, or day 30 of a 29-day month).
pub fn from_lunar(lunar: LunarDate) -> Option<NaiveDate> {
    let (a11, b11) = if lunar.month < 11 {
        (month_eleven(lunar.year - 1)?, month_eleven(lunar.year)?)
    } else {
        (month_eleven(lunar.year)?, month_eleven(lunar.year + 1)?)
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH).floor() as i64;
    let mut offset = i64::from(lunar.month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11);
        let mut leap_month = leap_offset - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && i64::from(lunar.month) != leap_month {
            return None;
        }
        if lunar.leap || offset >= leap_offset {
            offset += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let month_start = new_moon_day(k + offset);
    let date = from_julian_day(month_start + i64::from(lunar.day) - 1)?;
    // Day 30 of a 29-day month is the next month's first day: no such date.
    (to_lunar(date)? == lunar).then_some(date)
}

/// The first day of the lunar year `year` (Tết Nguyên đán).
pub fn new_year(year: i32) -> Option<NaiveDate> {
    from_lunar(LunarDate {
        day: 1,
        month: 1,
        year,
        leap: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_falls_on_the_known_days() {
        // Published Vietnamese calendars; 1985 and 2007 differ from China's (UTC+8).
        for (year, tet) in [
            (1985, d(1985, 1, 21)),
            (2007, d(2007, 2, 17)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
        ] {
            assert_eq!(new_year(year), Some(tet), "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_day_is_the_tenth_of_the_third_month() {
        for (year, day) in [
            (2022, d(2022, 4, 10)),
            (2023, d(2023, 4, 29)),
            (2024, d(2024, 4, 18)),
            (2025, d(2025, 4, 7)),
        ] {
            let lunar = LunarDate {
                day: 10,
                month: 3,
                year,
                leap: false,
            };
            assert_eq!(from_lunar(lunar), Some(day), "Giỗ Tổ {year}");
        }
    }

    #[test]
    fn conversion_goes_both_ways_and_knows_leap_months() {
        // 2023 had a leap second month (22/3/2023 was 1/2 nhuận).
        let leap = to_lunar(d(2023, 3, 22)).unwrap();
        assert_eq!(
            leap,
            LunarDate {
                day: 1,
                month: 2,
                year: 2023,
                leap: true
            }
        );
        let mut date = d(2019, 1, 1);
        while date < d(2027, 1, 1) {
            let lunar = to_lunar(date).unwrap();
            assert_eq!(from_lunar(lunar), Some(date), "{date} = {lunar:?}");
            date = date.succ_opt().unwrap();
        }
        // 2024 has no leap month.
        assert_eq!(
            from_lunar(LunarDate {
                day: 1,
                month: 4,
                year: 2024,
                leap: true
            }),
            None
        );
    }
}
