//! Tasks (nhiệm vụ) a directing document assigns to a unit's office or board, with a deadline:
//! their state on a day follows from the dates recorded (assigned, first progress reported, done)
//! and the deadline, so the state of any past day can be told, and "overdue" is never stored.

use chrono::NaiveDate;

use crate::figures::{Definition, Timing};

vocabulary!(
    /// Where a task stands on a day.
    TaskState {
        Assigned => "assigned", "Đã giao", ["chua thuc hien", "moi giao"];
        InProgress => "in_progress", "Đang thực hiện";
        Done => "done", "Hoàn thành", ["da hoan thanh", "xong"];
        Overdue => "overdue", "Quá hạn", ["tre han"];
    }
);

vocabulary!(
    /// What a progress report says of a task: still being done, or done.
    ReportedState {
        InProgress => "in_progress", "Đang thực hiện";
        Done => "done", "Hoàn thành", ["da hoan thanh", "xong"];
    }
);

/// The dates that decide a task's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDates {
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    /// The first day progress was reported, if any.
    pub started_on: Option<NaiveDate>,
    /// The day it was reported done, if it was.
    pub done_on: Option<NaiveDate>,
}

impl TaskDates {
    /// The state on `day`: done once reported done; overdue past the deadline until then; in
    /// progress once progress is reported; assigned before. `None` before it was assigned.
    pub fn state_on(&self, day: NaiveDate) -> Option<TaskState> {
        if day < self.assigned_on {
            return None;
        }
        let by = |date: Option<NaiveDate>| date.is_some_and(|d| d <= day);
        Some(if by(self.done_on) {
            TaskState::Done
        } else if self.deadline < day {
            TaskState::Overdue
        } else if by(self.started_on) {
            TaskState::InProgress
        } else {
            TaskState::Assigned
        })
    }

    /// Whether it was done by its deadline.
    pub fn done_on_time(&self) -> bool {
        self.done_on.is_some_and(|d| d <= self.deadline)
    }
}

/// What a task figure counts, as of the window's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TasksCounted {
    /// Every task assigned by then.
    All,
    /// Those in one state then.
    In(TaskState),
    /// Those done by then, by their deadline.
    DoneOnTime,
}

/// The task figures: `tasks.total`, `tasks.<state>` and `tasks.done_on_time`, each as of the
/// window's date.
pub fn task_counts() -> Vec<(Definition, TasksCounted)> {
    let mut list = vec![(
        Definition::count("tasks.total", "Nhiệm vụ đã giao", Timing::Stock),
        TasksCounted::All,
    )];
    list.extend(TaskState::ALL.iter().map(|&state| {
        (
            Definition::count(
                &format!("tasks.{}", state.code()),
                &format!("Nhiệm vụ {}", state.label_vi().to_lowercase()),
                Timing::Stock,
            ),
            TasksCounted::In(state),
        )
    }));
    list.push((
        Definition::count(
            "tasks.done_on_time",
            "Nhiệm vụ hoàn thành đúng hạn",
            Timing::Stock,
        ),
        TasksCounted::DoneOnTime,
    ));
    list
}

/// The share of tasks done by their deadline among those done.
pub fn task_ratios() -> Vec<Definition> {
    vec![Definition::ratio(
        "tasks.done_on_time.share",
        "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
        "tasks.done_on_time",
        "tasks.done",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_task_moves_through_its_states_by_its_dates() {
        let task = TaskDates {
            assigned_on: d(2021, 3, 1),
            deadline: d(2021, 6, 30),
            started_on: Some(d(2021, 4, 10)),
            done_on: Some(d(2021, 8, 5)),
        };
        assert_eq!(task.state_on(d(2021, 2, 28)), None);
        assert_eq!(task.state_on(d(2021, 3, 1)), Some(TaskState::Assigned));
        assert_eq!(task.state_on(d(2021, 4, 10)), Some(TaskState::InProgress));
        assert_eq!(
            task.state_on(d(2021, 6, 30)),
            Some(TaskState::InProgress),
            "due that day"
        );
        assert_eq!(task.state_on(d(2021, 7, 1)), Some(TaskState::Overdue));
        assert_eq!(task.state_on(d(2021, 8, 5)), Some(TaskState::Done));
        assert!(!task.done_on_time());
        let early = TaskDates {
            done_on: Some(d(2021, 6, 30)),
            ..task
        };
        assert!(early.done_on_time());
        let untouched = TaskDates {
            started_on: None,
            done_on: None,
            ..task
        };
        assert_eq!(untouched.state_on(d(2021, 5, 1)), Some(TaskState::Assigned));
        assert_eq!(untouched.state_on(d(2022, 1, 1)), Some(TaskState::Overdue));
    }

    #[test]
    fn task_keys() {
        let keys: Vec<String> = task_counts().into_iter().map(|(d, _)| d.key).collect();
        assert_eq!(
            keys,
            [
                "tasks.total",
                "tasks.assigned",
                "tasks.in_progress",
                "tasks.done",
                "tasks.overdue",
                "tasks.done_on_time"
            ]
        );
    }
}
