//! Tests: the worked example of docs/kpis.md, figure by figure: one site in Paris, March 2026 (743
//! hours: the clocks spring forward on the 29th), two machines, sixteen orders and their time.

use crate::history::{
    History, Person, Site, equipment_schema, frame_from_csv, orders_schema, requests_schema,
    time_schema,
};
use crate::report::{Code, Figure};
use crate::{Grouping, Query, Report, compute};
use chrono::{DateTime, Utc};

const SITE: i64 = 1;
const TECHNICIAN_1: &str = "00000000-0000-0000-0000-000000000001";
const TECHNICIAN_2: &str = "00000000-0000-0000-0000-000000000002";
const EQUIPMENT_A: &str = "00000000-0000-0000-0000-00000000000a";
const EQUIPMENT_B: &str = "00000000-0000-0000-0000-00000000000b";
/// Failure codes: a problem, two causes.
const FUITE: i64 = 1;
const USURE: i64 = 2;
const REGLAGE: i64 = 3;
const A: i64 = 1;
const B: i64 = 2;

fn ms(at: &str) -> String {
    at.parse::<DateTime<Utc>>()
        .map(|t| t.timestamp_millis().to_string())
        .unwrap_or_else(|_| panic!("bad instant {at}"))
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|_| panic!("bad instant {s}"))
}

/// An order's CSV row; instants as RFC 3339 ("" for none).
#[derive(Default)]
struct Order<'a> {
    equipment: i64,
    kind: &'a str,
    status: &'a str,
    origin: &'a str,
    created: &'a str,
    started: &'a str,
    completed: &'a str,
    cancelled: &'a str,
    due: &'a str,
    down_start: &'a str,
    down_end: &'a str,
    down_minutes: &'a str,
    estimated: &'a str,
    tolerance_days: &'a str,
    skipped: bool,
    problem: &'a str,
    cause: &'a str,
}

impl Order<'_> {
    fn csv(&self) -> String {
        let t = |s: &str| if s.is_empty() { String::new() } else { ms(s) };
        let tolerance = match self.tolerance_days {
            "" => String::new(),
            days => (days.parse::<i64>().unwrap_or(0) * 86_400_000).to_string(),
        };
        [
            self.equipment.to_string(),
            SITE.to_string(),
            self.kind.to_string(),
            self.status.to_string(),
            if self.origin.is_empty() {
                "manual"
            } else {
                self.origin
            }
            .to_string(),
            t(self.created),
            t(self.started),
            t(self.completed),
            t(self.cancelled),
            t(self.due),
            t(self.down_start),
            t(self.down_end),
            self.down_minutes.to_string(),
            self.estimated.to_string(),
            tolerance,
            if self.skipped { "1" } else { "0" }.to_string(),
            self.problem.to_string(),
            self.cause.to_string(),
        ]
        .join(",")
    }
}

fn history() -> History {
    let corrective = |equipment| Order {
        equipment,
        kind: "corrective",
        origin: "request",
        status: "closed",
        ..Order::default()
    };
    let preventive = |equipment| Order {
        equipment,
        kind: "preventive",
        origin: "plan",
        tolerance_days: "1",
        ..Order::default()
    };
    let orders = [
        // A stops 08:00–12:00 on the 10th; repaired from 08:30.
        Order {
            created: "2026-03-10T07:50:00Z",
            started: "2026-03-10T08:30:00Z",
            completed: "2026-03-10T12:00:00Z",
            down_start: "2026-03-10T08:00:00Z",
            down_end: "2026-03-10T12:00:00Z",
            problem: "1",
            cause: "2",
            ..corrective(A)
        },
        // A stopped before the window (21:00 on 28 February in Paris): not a failure of March,
        // but its 2 hours inside the window count as downtime and its repair ends in March.
        Order {
            origin: "manual",
            created: "2026-02-28T20:05:00Z",
            started: "2026-02-28T20:30:00Z",
            completed: "2026-03-01T02:00:00Z",
            down_start: "2026-02-28T20:00:00Z",
            down_end: "2026-03-01T01:00:00Z",
            problem: "1",
            ..corrective(A)
        },
        // B fails without stopping: the failure dates from the order's creation.
        Order {
            created: "2026-03-15T10:00:00Z",
            started: "2026-03-15T11:00:00Z",
            completed: "2026-03-15T14:00:00Z",
            ..corrective(B)
        },
        // Cancelled: no failure.
        Order {
            status: "cancelled",
            created: "2026-03-20T10:00:00Z",
            cancelled: "2026-03-20T12:00:00Z",
            ..corrective(B)
        },
        // A second failure of A overlapping the first: A is down 08:00–14:00 once, 6 hours.
        Order {
            created: "2026-03-10T10:05:00Z",
            started: "2026-03-10T10:30:00Z",
            completed: "2026-03-10T14:00:00Z",
            down_start: "2026-03-10T10:00:00Z",
            down_end: "2026-03-10T14:00:00Z",
            problem: "1",
            cause: "3",
            ..corrective(A)
        },
        // B stopped 90 minutes, reported as minutes only: the stop ends at completion.
        Order {
            status: "completed",
            created: "2026-03-31T19:35:00Z",
            completed: "2026-03-31T21:00:00Z",
            down_minutes: "90",
            cause: "2",
            ..corrective(B)
        },
        // A stops at 22:00 (Paris) on the 31st, still down at the time of the query.
        Order {
            status: "in_progress",
            created: "2026-03-31T20:00:00Z",
            started: "2026-03-31T20:30:00Z",
            down_start: "2026-03-31T20:00:00Z",
            estimated: "120",
            problem: "1",
            cause: "2",
            ..corrective(A)
        },
        // Preventive: on time.
        Order {
            status: "closed",
            created: "2026-02-26T00:00:00Z",
            due: "2026-03-05T08:00:00Z",
            completed: "2026-03-05T15:00:00Z",
            ..preventive(A)
        },
        // 25 hours late with a tolerance of one day: missed.
        Order {
            status: "closed",
            created: "2026-03-05T00:00:00Z",
            due: "2026-03-12T08:00:00Z",
            completed: "2026-03-13T09:00:00Z",
            ..preventive(A)
        },
        // A monthly plan allows 3 days: two days late is on time.
        Order {
            status: "closed",
            created: "2026-02-23T00:00:00Z",
            due: "2026-03-02T08:00:00Z",
            completed: "2026-03-04T08:00:00Z",
            tolerance_days: "3",
            ..preventive(B)
        },
        // Cancelled: missed.
        Order {
            status: "cancelled",
            created: "2026-03-12T00:00:00Z",
            due: "2026-03-19T08:00:00Z",
            cancelled: "2026-03-19T09:00:00Z",
            ..preventive(A)
        },
        // Skipped: left out.
        Order {
            status: "cancelled",
            created: "2026-03-19T00:00:00Z",
            due: "2026-03-26T08:00:00Z",
            cancelled: "2026-03-25T00:00:00Z",
            skipped: true,
            ..preventive(A)
        },
        // Still open, its deadline (1 April 12:00 UTC) not yet come: left out.
        Order {
            status: "assigned",
            created: "2026-03-24T12:00:00Z",
            due: "2026-03-31T12:00:00Z",
            estimated: "60",
            ..preventive(A)
        },
        // Still open a week after its due date: missed.
        Order {
            status: "assigned",
            created: "2026-03-17T08:00:00Z",
            due: "2026-03-24T08:00:00Z",
            estimated: "90",
            ..preventive(A)
        },
        // An inspection, done the same morning.
        Order {
            kind: "inspection",
            origin: "manual",
            status: "closed",
            created: "2026-03-03T08:00:00Z",
            completed: "2026-03-03T10:00:00Z",
            ..Order::default().on(B)
        },
        // Waiting since November: in the backlog, over 90 days old.
        Order {
            status: "open",
            created: "2025-11-01T00:00:00Z",
            ..corrective(B)
        },
    ];
    let mut orders_csv = String::from(
        "equipment_id,site_id,type,status,origin,created_ms,started_ms,completed_ms,\
         cancelled_ms,due_ms,downtime_start_ms,downtime_end_ms,downtime_minutes,\
         estimated_minutes,tolerance_ms,skipped,problem_key,cause_key\n",
    );
    for order in &orders {
        orders_csv.push_str(&order.csv());
        orders_csv.push('\n');
    }
    let time_csv = format!(
        "user_id,site_id,equipment_id,type,at_ms,minutes,cost\n\
         {TECHNICIAN_1},{SITE},{A},corrective,{},180,150\n\
         {TECHNICIAN_2},{SITE},{A},preventive,{},120,\n\
         {TECHNICIAN_1},{SITE},{B},corrective,{},60,50\n\
         {TECHNICIAN_2},{SITE},{B},inspection,{},30,\n",
        ms("2026-03-10T08:30:00Z"),
        ms("2026-03-05T13:00:00Z"),
        ms("2026-03-15T11:00:00Z"),
        ms("2026-03-03T08:00:00Z"),
    );
    let equipment_csv = format!(
        "equipment_id,site_id,archived_ms,uuid,code,name,category\n\
         {A},{SITE},,{EQUIPMENT_A},PRESSE-01,Presse,Presses\n\
         {B},{SITE},,{EQUIPMENT_B},POMPE-02,Pompe,\n"
    );
    let requests_csv = format!(
        "site_id,urgency,status,created_ms,decided_ms,started_ms\n\
         {SITE},high,approved,{},{},{}\n\
         {SITE},critical,approved,{},{},{}\n\
         {SITE},normal,rejected,{},{},\n\
         {SITE},normal,submitted,{},,\n\
         {SITE},low,approved,{},{},\n",
        ms("2026-03-10T07:30:00Z"),
        ms("2026-03-10T07:45:00Z"),
        ms("2026-03-10T08:30:00Z"),
        ms("2026-03-15T09:00:00Z"),
        ms("2026-03-15T10:00:00Z"),
        ms("2026-03-15T11:00:00Z"),
        ms("2026-03-20T08:00:00Z"),
        ms("2026-03-21T08:00:00Z"),
        ms("2026-03-30T08:00:00Z"),
        // Reported in February: not March's.
        ms("2026-02-20T08:00:00Z"),
        ms("2026-02-20T09:00:00Z"),
    );
    let frame = |csv: String, schema| {
        frame_from_csv(csv.into_bytes(), schema).unwrap_or_else(|e| panic!("csv: {e}"))
    };
    History {
        sites: vec![Site {
            key: SITE,
            id: uuid::Uuid::nil(),
            name: "Lyon".into(),
            zone: chrono_tz::Europe::Paris,
        }],
        codes: [
            (FUITE, ("FUITE", "Fuite")),
            (USURE, ("USURE", "Usure")),
            (REGLAGE, ("REGLAGE", "Mauvais réglage")),
        ]
        .into_iter()
        .map(|(k, (code, label))| {
            (
                k,
                Code {
                    code: code.into(),
                    label: label.into(),
                },
            )
        })
        .collect(),
        equipment: frame(equipment_csv, equipment_schema()),
        orders: frame(orders_csv, orders_schema()),
        time: frame(time_csv, time_schema()),
        requests: frame(requests_csv, requests_schema()),
        people: [
            (TECHNICIAN_1, "Luc Martin", 35.0),
            (TECHNICIAN_2, "Inès Haddad", 28.0),
        ]
        .into_iter()
        .map(|(id, name, hours)| {
            let person = Person {
                full_name: name.to_string(),
                weekly_capacity_hours: hours,
            };
            (id.to_string(), person)
        })
        .collect(),
        crew_weekly_hours: 63.0,
        currency: "EUR".to_string(),
    }
}

impl Order<'_> {
    fn on(self, equipment: i64) -> Self {
        Order { equipment, ..self }
    }
}

fn march(grouping: Option<Grouping>) -> Report {
    let query = Query {
        // March 2026 in Paris.
        from: at("2026-02-28T23:00:00Z"),
        to: at("2026-03-31T22:00:00Z"),
        as_of: at("2026-04-01T06:00:00Z"),
        grouping,
        breakdown: None,
    };
    compute(&history(), &query).unwrap_or_else(|e| panic!("compute: {e}"))
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

#[test]
fn availability_counts_each_stop_once_inside_the_window() {
    let r = march(None);
    // 2 machines × 743 h; A down 6 + 2 + 2 h, B 1.5 h.
    assert_eq!(r.availability.total.denominator, 1486.0);
    assert_eq!(r.availability.total.numerator, 1474.5);
    close(r.availability.total.value, 1474.5 / 1486.0 * 100.0);
    assert!(r.availability.series.is_empty());
}

#[test]
fn mtbf_is_operating_time_over_failures_starting_in_the_window() {
    let r = march(None);
    // o1, o3, o5, o6, o7; not o2 (stopped in February) nor o4 (cancelled).
    assert_eq!(r.mtbf.total.denominator, 5.0);
    assert_eq!(r.mtbf.total.numerator, 1474.5);
    close(r.mtbf.total.value, 294.9);
}

#[test]
fn mttr_is_repair_time_over_repairs_completed_in_the_window() {
    let r = march(None);
    // o1 4 h, o2 5 h, o3 3 h (start of work to completion), o5 4 h, o6 1.5 h.
    assert_eq!(r.mttr.total.denominator, 5.0);
    assert_eq!(r.mttr.total.numerator, 17.5);
    close(r.mttr.total.value, 3.5);
}

#[test]
fn preventive_compliance_allows_the_plans_tolerance() {
    let r = march(None);
    // Due: o8, o9, o10, o11, o14 (o12 skipped, o13 not yet late); on time: o8, o10.
    assert_eq!(r.pm_compliance.total.denominator, 5.0);
    assert_eq!(r.pm_compliance.total.numerator, 2.0);
    close(r.pm_compliance.total.value, 40.0);
}

#[test]
fn planned_work_is_the_share_of_hours_on_preventive_and_inspection() {
    let r = march(None);
    assert_eq!(r.planned_work.total.numerator, 2.5);
    assert_eq!(r.planned_work.total.denominator, 6.5);
    close(r.planned_work.total.value, 2.5 / 6.5 * 100.0);
}

#[test]
fn backlog_at_the_end_of_the_window_with_its_ages() {
    let r = march(None);
    // o7, o13, o14, o16.
    close(r.backlog.total.value, 4.0);
    close(Some(r.backlog.estimated_hours), 4.5);
    assert_eq!(r.backlog.ages.under_7_days, 1);
    assert_eq!(r.backlog.ages.from_7_to_30_days, 2);
    assert_eq!(r.backlog.ages.from_30_to_90_days, 0);
    assert_eq!(r.backlog.ages.over_90_days, 1);
    // The crew works 35 + 28 hours a week.
    close(r.backlog.crew_weeks.value, 4.5 / 63.0);
    close(Some(r.backlog.crew_weeks.denominator), 63.0);
}

#[test]
fn weekly_series_follow_the_paris_calendar() {
    let r = march(Some(Grouping::Week));
    let periods: Vec<&str> = r
        .availability
        .series
        .iter()
        .map(|p| p.period.as_str())
        .collect();
    assert_eq!(
        periods,
        [
            "2026-W09", "2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"
        ]
    );
    let week = |i: usize| &r.availability.series[i].figure;
    // Sunday 1 March alone: 2 × 24 h, A down 2 h.
    assert_eq!(week(0).denominator, 48.0);
    assert_eq!(week(0).numerator, 46.0);
    // 9–15 March: A down 6 h; failures o1, o5 and o3 (Sunday 15th, 11:00 in Paris).
    assert_eq!(week(2).numerator, 330.0);
    let mtbf = &r.mtbf.series[2].figure;
    assert_eq!(mtbf.denominator, 3.0);
    close(mtbf.value, 110.0);
    // 23–29 March lasts 167 hours.
    assert_eq!(week(4).denominator, 334.0);
    // The periods add up to the window.
    let total: f64 = r
        .availability
        .series
        .iter()
        .map(|p| p.figure.denominator)
        .sum();
    assert_eq!(total, 1486.0);
    // Open at the end of 15 March: o11 and o16.
    assert_eq!(r.backlog.series[2].open, 2.0);
    assert_eq!(r.backlog.series[5].open, 4.0);
}

#[test]
fn failures_by_cause_worst_machines_and_repeats() {
    let f = march(None).failures;
    // Usure: o1 4 h, o6 1.5 h, o7 2 h (to the window's end); Mauvais réglage: o5 4 h; o3 uncoded.
    let causes: Vec<(Option<&str>, f64, u64)> = f
        .by_cause
        .iter()
        .map(|c| {
            (
                c.cause.as_ref().map(|c| c.code.as_str()),
                c.downtime_hours,
                c.failures,
            )
        })
        .collect();
    assert_eq!(
        causes,
        [
            (Some("USURE"), 7.5, 3),
            (Some("REGLAGE"), 4.0, 1),
            (None, 0.0, 1)
        ]
    );
    close(Some(f.by_cause[0].cumulative_percent), 7.5 / 11.5 * 100.0);
    close(Some(f.by_cause[1].cumulative_percent), 100.0);
    // A: 10 h down (its stops counted once), 3 failures; B: 1.5 h, 2 failures.
    let ranked: Vec<(&str, f64, u64)> = f
        .most_downtime
        .iter()
        .map(|r| (r.code.as_str(), r.downtime_hours, r.failures))
        .collect();
    assert_eq!(ranked, [("PRESSE-01", 10.0, 3), ("POMPE-02", 1.5, 2)]);
    assert_eq!(f.most_failures[0].code, "PRESSE-01");
    assert_eq!(f.most_failures[0].equipment_id.to_string(), EQUIPMENT_A);
    // A leaks again: o1 9.5 days after o2 (in February), o5 two hours after o1, o7 21 days after.
    assert_eq!(f.repeats, 3);
    assert_eq!(f.repeat_list.len(), 1);
    assert_eq!(f.repeat_list[0].repeats, 3);
    assert_eq!(
        f.repeat_list[0].problem.as_ref().map(|p| p.label.as_str()),
        Some("Fuite")
    );
}

#[test]
fn requests_and_how_fast_they_are_answered() {
    let r = march(None);
    // r1 high, r2 critical, r3 and r4 normal (r5 was reported in February).
    assert_eq!(r.requests.total, 4);
    let volume: Vec<(&str, u64)> = r
        .requests
        .by_urgency
        .iter()
        .map(|u| (u.urgency.as_str(), u.count))
        .collect();
    assert_eq!(volume, [("critical", 1), ("high", 1), ("normal", 2)]);
    // Two approved of three decided.
    assert_eq!(r.requests.approval_rate.numerator, 2.0);
    assert_eq!(r.requests.approval_rate.denominator, 3.0);
    // Decisions after 15 min, 1 h and 24 h.
    let decision = r.requests.time_to_decision;
    assert_eq!(decision.count, 3);
    close(decision.mean_hours, 25.25 / 3.0);
    close(decision.median_hours, 1.0);
    close(r.response.to_approval.mean_hours, 0.625);
    close(r.response.to_approval.median_hours, 0.625);
    // Work began 1 h and 2 h after the reports.
    assert_eq!(r.response.to_start.count, 2);
    close(r.response.to_start.mean_hours, 1.5);
}

#[test]
fn labour_by_type_and_technician_against_a_weekly_capacity() {
    let l = march(None).labour;
    close(Some(l.total_hours), 6.5);
    let types: Vec<(&str, f64)> = l
        .by_type
        .iter()
        .map(|t| (t.kind.as_str(), t.hours))
        .collect();
    assert_eq!(
        types,
        [
            ("corrective", 4.0),
            ("preventive", 2.0),
            ("inspection", 0.5)
        ]
    );
    // 743 hours are 743 / 168 weeks: Luc works 35 hours a week, Inès 28.
    let weeks = 743.0 / 168.0;
    let people: Vec<(&str, f64)> = l
        .by_technician
        .iter()
        .map(|t| (t.full_name.as_str(), t.hours))
        .collect();
    assert_eq!(people, [("Luc Martin", 4.0), ("Inès Haddad", 2.5)]);
    close(Some(l.by_technician[0].capacity_hours), 35.0 * weeks);
    close(Some(l.by_technician[1].capacity_hours), 28.0 * weeks);
    close(
        l.by_technician[0].utilisation.value,
        4.0 / (35.0 * weeks) * 100.0,
    );
    close(
        l.by_technician[1].utilisation.value,
        2.5 / (28.0 * weeks) * 100.0,
    );
    close(l.utilisation.value, 6.5 / (63.0 * weeks) * 100.0);
}

#[test]
fn labour_cost_at_each_entrys_rate_with_unpriced_hours_apart() {
    // Luc's four hours at 50 €: 200 €; Inès has no rate (nor the company): 2.5 h unpriced.
    let c = march(Some(Grouping::Month)).cost;
    close(c.total.value, 200.0);
    close(Some(c.total.denominator), 1.0);
    close(Some(c.priced_hours), 4.0);
    close(Some(c.unpriced_hours), 2.5);
    assert_eq!(c.currency, "EUR");
    let by_type: Vec<(&str, f64)> = c
        .by_type
        .iter()
        .map(|t| (t.kind.as_str(), t.amount))
        .collect();
    assert_eq!(by_type, [("corrective", 200.0)]);
    let series: Vec<(&str, Option<f64>)> = c
        .series
        .iter()
        .map(|p| (p.period.as_str(), p.figure.value))
        .collect();
    assert_eq!(series, [("2026-03", Some(200.0))]);
}

fn march_by(by: crate::breakdown::Dimension) -> crate::breakdown::Breakdown {
    let query = Query {
        from: at("2026-02-28T23:00:00Z"),
        to: at("2026-03-31T22:00:00Z"),
        as_of: at("2026-04-01T06:00:00Z"),
        grouping: None,
        breakdown: Some(by),
    };
    compute(&history(), &query)
        .unwrap_or_else(|e| panic!("compute: {e}"))
        .breakdown
        .unwrap_or_else(|| panic!("no breakdown"))
}

#[test]
fn indicators_side_by_side_by_machine_category_cause_and_person() {
    use crate::breakdown::Dimension;
    let value = |f: Option<Figure>| f.and_then(|f| f.value);
    // By machine, most downtime first: A down 10 h with o1, o5, o7 (repairs o1 4 h, o2 5 h,
    // o5 4 h); B down 1.5 h with o3, o6 (repairs 3 h and 1.5 h).
    let machines = march_by(Dimension::Equipment);
    let a = &machines.rows[0];
    assert_eq!(a.label, "PRESSE-01 — Presse");
    assert_eq!(a.key, EQUIPMENT_A);
    close(a.downtime_hours, 10.0);
    close(a.failures, 3.0);
    close(value(a.mtbf), 733.0 / 3.0);
    close(value(a.mttr), 13.0 / 3.0);
    close(value(a.availability), 733.0 / 743.0 * 100.0);
    close(a.labour_hours, 5.0);
    close(a.cost, 150.0);
    let b = &machines.rows[1];
    close(b.failures, 2.0);
    close(value(b.mtbf), 741.5 / 2.0);
    close(value(b.mttr), 2.25);
    assert!(!machines.truncated);

    // By category: A is a press, B has none (last).
    let categories = march_by(Dimension::Category);
    let labels: Vec<&str> = categories.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Presses", ""]);
    close(categories.rows[0].downtime_hours, 10.0);

    // By cause: the operating time of both machines over each cause's failures.
    let causes = march_by(Dimension::Cause);
    let usure = causes
        .rows
        .iter()
        .find(|r| r.key == "USURE")
        .unwrap_or_else(|| panic!("no USURE row: {causes:?}"));
    close(usure.failures, 3.0);
    close(value(usure.mtbf), 1474.5 / 3.0);
    assert_eq!(usure.availability, None);
    let none_given = causes.rows.last().unwrap_or_else(|| panic!("no rows"));
    assert_eq!(none_given.key, "");
    close(none_given.failures, 1.0);

    // By person: hours, planned work and cost; no machine figures.
    let people = march_by(Dimension::Technician);
    let ines = &people.rows[0];
    assert_eq!(ines.label, "Inès Haddad");
    close(ines.labour_hours, 2.5);
    close(value(ines.planned_work), 100.0);
    assert_eq!(ines.mtbf, None);
    // Inès has no rate: no cost rather than a cost of nothing.
    assert_eq!(ines.cost, None);
    close(people.rows[1].cost, 200.0);
}
