//! Vietnam's working-day calendar, for the deadlines party rules state in working days (an
//! admission decided within 60 working days of the branch's resolution, a complaint answered
//! within 30). Saturdays and Sundays are days off; public holidays follow the Labour Code in force
//! in the year (an [`Editions`] of holiday rules), with Tết and the Hùng Kings' day placed by
//! their lunar dates; a holiday falling on a weekend is made up on the next working day. Where the
//! government fixed a year's days off and swapped working days by decision, that year's decision
//! replaces the rules.

pub mod lunar;

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::rules::{Edition, Editions};

/// Which public holidays a Labour Code gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidayRules {
    /// Days of Tết: the last day of the lunar year, then the first days of the new one.
    pub tet_days: u32,
    /// Days for National Day: 2 September, and from 2021 one day next to it.
    pub national_day_days: u32,
    /// The Hùng Kings' commemoration (10th day of the 3rd lunar month).
    pub hung_kings: bool,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// The Labour Codes' holidays, by the date each took effect.
pub fn holiday_rules() -> Editions<HolidayRules> {
    let editions = vec![
        Edition {
            document: "Bộ luật Lao động 1994 (sửa đổi 2007)",
            title: "Nghỉ lễ, tết: Tết Âm lịch 4 ngày, Giỗ Tổ Hùng Vương 1 ngày",
            in_force_from: d(2007, 1, 1),
            source: "",
            verified: false,
            rules: HolidayRules {
                tet_days: 4,
                national_day_days: 1,
                hung_kings: true,
            },
        },
        Edition {
            document: "10/2012/QH13",
            title: "Bộ luật Lao động 2012, Điều 115: Tết Âm lịch 5 ngày",
            in_force_from: d(2013, 5, 1),
            source: "https://thuvienphapluat.vn/van-ban/Lao-dong-Tien-luong/Bo-Luat-lao-dong-2012-142153.aspx",
            verified: true,
            rules: HolidayRules {
                tet_days: 5,
                national_day_days: 1,
                hung_kings: true,
            },
        },
        Edition {
            document: "45/2019/QH14",
            title: "Bộ luật Lao động 2019, Điều 112: Quốc khánh 2 ngày (02/9 và 01 ngày liền kề)",
            in_force_from: d(2021, 1, 1),
            source: "https://thuvienphapluat.vn/van-ban/Lao-dong-Tien-luong/Bo-Luat-lao-dong-2019-333670.aspx",
            verified: true,
            rules: HolidayRules {
                tet_days: 5,
                national_day_days: 2,
                hung_kings: true,
            },
        },
    ];
    match Editions::new(editions) {
        Ok(editions) => editions,
        // The list above is in date order; a mistake in it is a defect caught by the tests.
        Err(e) => unreachable!("holiday editions out of order: {e}"),
    }
}

/// A year whose days off the government fixed by decision (for state bodies and party agencies):
/// every weekday off, and the weekend days worked in exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearDecision {
    pub year: i32,
    pub document: &'static str,
    pub verified: bool,
    /// Weekdays off: holidays, their make-up days and swapped days, as (month, day).
    pub days_off: &'static [(u32, u32)],
    /// Saturdays or Sundays worked in exchange for a swapped day.
    pub working_days: &'static [(u32, u32)],
}

/// Decisions known for recent years. UNVERIFIED ones are data to correct, not constants.
pub const YEAR_DECISIONS: &[YearDecision] = &[
    YearDecision {
        year: 2024,
        document: "Thông báo nghỉ Tết, lễ năm 2024 của Bộ LĐ-TB&XH (theo chỉ đạo của Thủ tướng)",
        verified: false,
        days_off: &[
            (1, 1),
            (2, 8),
            (2, 9),
            (2, 12),
            (2, 13),
            (2, 14),
            (4, 18),
            (4, 29),
            (4, 30),
            (5, 1),
            (9, 2),
            (9, 3),
        ],
        working_days: &[(5, 4)],
    },
    YearDecision {
        year: 2025,
        document: "Thông báo nghỉ Tết, lễ năm 2025 của Bộ LĐ-TB&XH (theo chỉ đạo của Thủ tướng)",
        verified: false,
        days_off: &[
            (1, 1),
            (1, 27),
            (1, 28),
            (1, 29),
            (1, 30),
            (1, 31),
            (4, 7),
            (4, 30),
            (5, 1),
            (5, 2),
            (9, 1),
            (9, 2),
        ],
        working_days: &[(4, 26)],
    },
];

/// A public holiday and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: &'static str,
}

/// The holidays the rules give in a year, before making up weekend ones; each holiday by the
/// Labour Code in force on its own date (in 2013, Tết came before the 2012 Code took effect).
pub fn rule_holidays(year: i32) -> Vec<Holiday> {
    let editions = holiday_rules();
    let rules_on = |date: NaiveDate| editions.on(date).rules;
    let mut list = vec![Holiday {
        date: d(year, 1, 1),
        name: "Tết Dương lịch",
    }];
    if let Some(tet) = lunar::new_year(year) {
        // The last day of the old year, then the first days of the new one.
        for offset in -1..i64::from(rules_on(tet).tet_days) - 1 {
            list.push(Holiday {
                date: tet + Duration::days(offset),
                name: "Tết Nguyên đán",
            });
        }
    }
    let hung_kings = lunar::from_lunar(lunar::LunarDate {
        day: 10,
        month: 3,
        year,
        leap: false,
    });
    if let Some(date) = hung_kings.filter(|date| rules_on(*date).hung_kings) {
        list.push(Holiday {
            date,
            name: "Giỗ Tổ Hùng Vương",
        });
    }
    list.push(Holiday {
        date: d(year, 4, 30),
        name: "Ngày Chiến thắng",
    });
    list.push(Holiday {
        date: d(year, 5, 1),
        name: "Ngày Quốc tế Lao động",
    });
    let national_day = d(year, 9, 2);
    list.push(Holiday {
        date: national_day,
        name: "Quốc khánh",
    });
    if rules_on(national_day).national_day_days > 1 {
        // The law leaves the side to the government: without its decision, the day after.
        list.push(Holiday {
            date: d(year, 9, 3),
            name: "Quốc khánh",
        });
    }
    list.sort_by_key(|h| h.date);
    list
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The working days of state and party bodies.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Weekdays that are not worked.
    days_off: BTreeSet<NaiveDate>,
    /// Weekend days that are worked.
    working: BTreeSet<NaiveDate>,
    /// Years already laid out.
    years: BTreeSet<i32>,
}

impl Calendar {
    pub fn new() -> Calendar {
        Calendar::default()
    }

    fn lay_out(&mut self, year: i32) {
        if !self.years.insert(year) {
            return;
        }
        if let Some(decision) = YEAR_DECISIONS.iter().find(|y| y.year == year) {
            self.days_off
                .extend(decision.days_off.iter().map(|(m, day)| d(year, *m, *day)));
            self.working.extend(
                decision
                    .working_days
                    .iter()
                    .map(|(m, day)| d(year, *m, *day)),
            );
            return;
        }
        let holidays: BTreeSet<NaiveDate> =
            rule_holidays(year).into_iter().map(|h| h.date).collect();
        for holiday in &holidays {
            if !is_weekend(*holiday) {
                self.days_off.insert(*holiday);
            }
        }
        // A holiday on a weekend is made up on the next day that is neither a weekend nor a holiday.
        for holiday in holidays.iter().filter(|h| is_weekend(**h)) {
            let mut day = *holiday + Duration::days(1);
            while is_weekend(day) || self.days_off.contains(&day) {
                day += Duration::days(1);
            }
            self.days_off.insert(day);
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&mut self, date: NaiveDate) -> bool {
        self.lay_out(date.year());
        if self.working.contains(&date) {
            return true;
        }
        !is_weekend(date) && !self.days_off.contains(&date)
    }

    /// The `n`-th working day after `date` ("within N working days of D" ends on it); `date`
    /// itself does not count.
    pub fn working_days_after(&mut self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut counted = 0;
        while counted < n {
            day += Duration::days(1);
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&mut self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut day = from;
        let mut counted = 0;
        while day < to {
            day += Duration::days(1);
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        counted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_are_in_order() {
        let rules = holiday_rules();
        assert_eq!(rules.on(d(2012, 1, 1)).rules.tet_days, 4);
        assert_eq!(rules.on(d(2020, 9, 2)).rules.national_day_days, 1);
        assert_eq!(rules.on(d(2021, 9, 2)).rules.national_day_days, 2);
    }

    #[test]
    fn each_holiday_follows_the_code_in_force_on_its_date() {
        // Tết 2013 (10/2) came before the 2012 Code (1/5/2013): 4 days, 9/2–12/2.
        let days: Vec<NaiveDate> = rule_holidays(2013)
            .into_iter()
            .filter(|h| h.name == "Tết Nguyên đán")
            .map(|h| h.date)
            .collect();
        assert_eq!(
            days,
            vec![
                d(2013, 2, 9),
                d(2013, 2, 10),
                d(2013, 2, 11),
                d(2013, 2, 12)
            ]
        );
    }

    #[test]
    fn rules_place_tet_and_hung_kings_by_the_lunar_calendar() {
        // 2019: Tết on 5/2, so the five days run 4/2–8/2; Giỗ Tổ 14/4 (a Sunday) is made up on 15/4.
        let days: Vec<NaiveDate> = rule_holidays(2019).into_iter().map(|h| h.date).collect();
        for day in [4, 5, 6, 7, 8] {
            assert!(days.contains(&d(2019, 2, day)), "Tết 2019: {day}/2");
        }
        assert!(days.contains(&d(2019, 4, 14)));
        let mut calendar = Calendar::new();
        assert!(!calendar.is_working_day(d(2019, 2, 8)));
        assert!(calendar.is_working_day(d(2019, 2, 11)));
        assert!(!calendar.is_working_day(d(2019, 4, 15)), "make-up day");
        assert!(calendar.is_working_day(d(2019, 4, 16)));
        assert!(!calendar.is_working_day(d(2019, 9, 2)));
        assert!(
            calendar.is_working_day(d(2019, 9, 3)),
            "one day before 2021"
        );
    }

    #[test]
    fn a_year_decided_by_the_government_follows_its_decision() {
        let mut calendar = Calendar::new();
        // 2025: Tết 27–31/1; 2/5 swapped with Saturday 26/4; National Day 1–2/9.
        for (m, day) in [(1, 27), (1, 31), (4, 7), (4, 30), (5, 2), (9, 1), (9, 2)] {
            assert!(!calendar.is_working_day(d(2025, m, day)), "{day}/{m}/2025");
        }
        assert!(calendar.is_working_day(d(2025, 4, 26)), "Saturday worked");
        assert!(calendar.is_working_day(d(2025, 2, 3)));
        assert!(!calendar.is_working_day(d(2025, 2, 1)), "a plain Saturday");
    }

    #[test]
    fn deadlines_in_working_days_skip_weekends_and_holidays() {
        let mut calendar = Calendar::new();
        // From Friday 24/1/2025: Monday 27/1 to Friday 31/1 are Tết, so the 1st working day is 3/2.
        assert_eq!(
            calendar.working_days_after(d(2025, 1, 24), 1),
            d(2025, 2, 3)
        );
        assert_eq!(
            calendar.working_days_after(d(2025, 1, 24), 5),
            d(2025, 2, 7)
        );
        // Across the 30/4 swap: Friday 25/4, Saturday 26/4 (worked), 28–29/4, then 5/5.
        assert_eq!(
            calendar.working_days_after(d(2025, 4, 24), 1),
            d(2025, 4, 25)
        );
        assert_eq!(
            calendar.working_days_after(d(2025, 4, 24), 2),
            d(2025, 4, 26)
        );
        assert_eq!(
            calendar.working_days_after(d(2025, 4, 24), 4),
            d(2025, 4, 29)
        );
        assert_eq!(
            calendar.working_days_after(d(2025, 4, 24), 5),
            d(2025, 5, 5)
        );
        assert_eq!(
            calendar.working_days_between(d(2025, 1, 24), d(2025, 2, 7)),
            5
        );
        // A plain month: 30 working days after Monday 2/6/2025 is Monday 14/7/2025.
        assert_eq!(
            calendar.working_days_after(d(2025, 6, 2), 30),
            d(2025, 7, 14)
        );
    }
}
