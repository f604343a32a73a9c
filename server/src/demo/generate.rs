//! Generating the demo plan: teams, staff, customers and 90 days of service records that
//! follow a working week's rhythm, from one seed.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc, Weekday};
use pingjia_domain::rules::response_sla;
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Category, Channel, CustomerType, Role, Urgency};
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::time::{org_day, org_local};

use super::evaluations;
use super::{
    DEMO_CUSTOMER_PHONE, DEMO_DAYS, DEMO_MEMBER_PHONE, DemoPlan, DemoSummary, RECORDS_PER_WEEKDAY,
    RecordPlan, TeamPlan, UserPlan,
};

/// A team and the service types its agents handle, with their shares.
struct TeamSpec {
    name: &'static str,
    /// The English name (issue 24).
    name_en: &'static str,
    lead: (&'static str, &'static str),
    agents: &'static [(&'static str, &'static str)],
    types: &'static [(&'static str, f64)],
}

/// A demo team's English name by its Chinese one.
pub(super) fn team_name_en(name: &str) -> Option<&'static str> {
    TEAMS
        .iter()
        .find(|spec| spec.name == name)
        .map(|spec| spec.name_en)
}

const TEAMS: &[TeamSpec] = &[
    TeamSpec {
        name: "华东一组",
        name_en: "East China 1",
        lead: ("L0001", "林晓峰"),
        agents: &[
            ("E1001", "张伟"),
            ("E1002", "王芳"),
            ("E1003", "李娜"),
            ("E1004", "刘洋"),
            ("E1005", "陈静"),
            ("E1006", "杨磊"),
        ],
        types: &[("online_chat", 0.72), ("phone_follow_up", 0.28)],
    },
    TeamSpec {
        name: "华南二组",
        name_en: "South China 2",
        lead: ("L0002", "何雪梅"),
        agents: &[
            ("E1007", "赵敏"),
            ("E1008", "黄强"),
            ("E1009", "周婷"),
            ("E1010", "吴昊"),
            ("E1011", "徐丽"),
        ],
        types: &[("in_store", 0.6), ("delivery", 0.4)],
    },
    TeamSpec {
        name: "售后服务组",
        name_en: "After-sales",
        lead: ("L0003", "高建国"),
        agents: &[
            ("E1012", "孙浩"),
            ("E1013", "马超"),
            ("E1014", "朱琳"),
            ("E1015", "胡军"),
            ("E1016", "郭佳"),
        ],
        types: &[("after_sales_repair", 0.7), ("phone_follow_up", 0.3)],
    },
];

const ADMIN: (&str, &str) = ("A0001", "梁志远");
const QA_INSPECTOR: (&str, &str) = ("Q0001", "罗文静");
/// The two QA inspectors who calibrate with `Q0001` (`demo::calibration`).
const QA_COLLEAGUES: [(&str, &str); 2] = [("Q0002", "沈佳琪"), ("Q0003", "韩立伟")];

const CUSTOMERS: usize = 260;
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
];
const GIVEN_NAMES: &[&str] = &[
    "子涵", "欣怡", "梓轩", "浩然", "雨桐", "宇航", "思远", "佳怡", "俊杰", "晓东", "秀英", "建华",
    "海燕", "志强", "丽娟", "文博", "嘉豪", "雅琪", "明轩", "诗涵", "国庆", "春梅", "振宇", "美玲",
    "鹏", "静", "磊", "洁", "勇", "艳", "军", "敏", "超", "霞", "涛", "颖",
];
const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189",
];

/// How busy each hour of the day is (organisation time): online chat runs late into the
/// evening, everything else keeps office and shop hours with some evening visits.
const ONLINE_HOURS: [f64; 24] = [
    0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 1.0, 2.5, 5.0, 6.0, 6.0, 4.0, 4.5, 6.0, 6.0, 5.5, 5.0,
    3.5, 3.2, 3.0, 2.5, 1.5, 0.8,
];
const OFFICE_HOURS: [f64; 24] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 5.0, 5.0, 3.5, 3.5, 5.0, 5.0, 4.5, 4.0, 3.0,
    2.0, 1.2, 0.0, 0.0, 0.0,
];

/// How each service type behaves: its channel, when it happens, how fast the first response
/// and the service itself are, and how often the response misses its SLA.
struct TypeProfile {
    code: &'static str,
    channel: Channel,
    hours: &'static [f64; 24],
    /// Share of the SLA a typical on-time first response takes.
    response_pace: f64,
    late_share: f64,
    /// Minutes between the first response and the start of the service.
    start_gap_minutes: (i64, i64),
    /// Minutes the service lasts.
    duration_minutes: (i64, i64),
    /// Share of records carrying an order or work-order number.
    order_share: f64,
    order_prefix: &'static str,
    consultation_tags: &'static [&'static str],
    complaint_tags: &'static [&'static str],
}

const TYPE_PROFILES: &[TypeProfile] = &[
    TypeProfile {
        code: "online_chat",
        channel: Channel::Online,
        hours: &ONLINE_HOURS,
        response_pace: 0.2,
        late_share: 0.06,
        start_gap_minutes: (0, 2),
        duration_minutes: (3, 25),
        order_share: 0.6,
        order_prefix: "SO",
        consultation_tags: &["价格咨询", "账户问题", "订单查询", "产品使用"],
        complaint_tags: &["服务态度", "响应慢", "退换货", "账户问题"],
    },
    TypeProfile {
        code: "phone_follow_up",
        channel: Channel::Online,
        hours: &OFFICE_HOURS,
        response_pace: 0.5,
        late_share: 0.09,
        start_gap_minutes: (0, 20),
        duration_minutes: (2, 15),
        order_share: 0.0,
        order_prefix: "",
        consultation_tags: &["回访确认", "产品使用", "价格咨询"],
        complaint_tags: &["服务态度", "产品质量", "重复来电"],
    },
    TypeProfile {
        code: "in_store",
        channel: Channel::Offline,
        hours: &OFFICE_HOURS,
        response_pace: 0.25,
        late_share: 0.05,
        start_gap_minutes: (0, 5),
        duration_minutes: (8, 45),
        order_share: 0.0,
        order_prefix: "",
        consultation_tags: &["业务办理", "会员权益", "价格咨询"],
        complaint_tags: &["服务态度", "排队时间长", "退换货"],
    },
    TypeProfile {
        code: "delivery",
        channel: Channel::Offline,
        hours: &OFFICE_HOURS,
        response_pace: 0.7,
        late_share: 0.12,
        start_gap_minutes: (30, 360),
        duration_minutes: (5, 20),
        order_share: 1.0,
        order_prefix: "SO",
        consultation_tags: &["配送时间", "订单查询"],
        complaint_tags: &["物流延迟", "物流延迟", "包装破损", "服务态度"],
    },
    TypeProfile {
        code: "after_sales_repair",
        channel: Channel::Offline,
        hours: &OFFICE_HOURS,
        response_pace: 0.6,
        late_share: 0.11,
        start_gap_minutes: (60, 2880),
        duration_minutes: (30, 150),
        order_share: 1.0,
        order_prefix: "RX",
        consultation_tags: &["保修政策", "产品使用"],
        complaint_tags: &["产品质量", "退换货", "维修周期长"],
    },
];

fn profile(code: &str) -> &'static TypeProfile {
    TYPE_PROFILES
        .iter()
        .find(|p| p.code == code)
        .expect("every team type has a profile")
}

/// The demo organisation's tags named in English (an admin does it on the tags page).
pub(super) const TAG_NAMES_EN: &[(&str, &str)] = &[
    ("价格咨询", "Pricing"),
    ("账户问题", "Account issues"),
    ("订单查询", "Order enquiry"),
    ("产品使用", "Product use"),
    ("服务态度", "Attitude"),
    ("响应慢", "Slow response"),
    ("退换货", "Returns & exchanges"),
    ("回访确认", "Callback confirmation"),
    ("产品质量", "Product quality"),
    ("重复来电", "Repeat calls"),
    ("业务办理", "Transactions"),
    ("会员权益", "Member benefits"),
    ("排队时间长", "Long queues"),
    ("配送时间", "Delivery time"),
    ("物流延迟", "Shipping delays"),
    ("包装破损", "Damaged packaging"),
    ("保修政策", "Warranty policy"),
    ("维修周期长", "Slow repairs"),
    ("流程优化", "Process improvement"),
    ("产品建议", "Product suggestion"),
    ("服务建议", "Service suggestion"),
    ("服务热情", "Warm service"),
    ("专业耐心", "Professional and patient"),
    ("响应及时", "Quick response"),
];

const SUGGESTION_TAGS: &[&str] = &["流程优化", "产品建议", "服务建议"];
const PRAISE_TAGS: &[&str] = &["服务热情", "专业耐心", "响应及时"];

/// An agent as the generator sees them.
struct Agent {
    user_id: i64,
    team: usize,
    /// How much of the team's work lands on them.
    activity: f64,
    /// Their first-contact resolution rate.
    first_contact_rate: f64,
}

/// The random stream and the fixed facts records are drawn from.
struct Generator {
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    agents: Vec<Agent>,
    customers: Vec<i64>,
    customer_pick: WeightedIndex<f64>,
    agent_pick: WeightedIndex<f64>,
    order_sequence: u32,
}

impl DemoPlan {
    /// Decides the whole demo organisation from `seed`, with records over the [`DEMO_DAYS`]
    /// days up to `now` (organisation days).
    pub fn generate(seed: u64, now: DateTime<Utc>) -> DemoPlan {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut users = vec![
            staff(1, Role::Admin, ADMIN, None),
            staff(2, Role::QaInspector, QA_INSPECTOR, None),
        ];

        let mut teams = Vec::new();
        let mut agents = Vec::new();
        for (index, spec) in TEAMS.iter().enumerate() {
            let team_id = index as i64 + 1;
            let lead_id = users.len() as i64 + 1;
            users.push(staff(lead_id, Role::TeamLead, spec.lead, Some(team_id)));
            teams.push(TeamPlan {
                id: team_id,
                name: spec.name,
                lead_user_id: lead_id,
            });
        }
        for (index, spec) in TEAMS.iter().enumerate() {
            for &agent in spec.agents {
                let id = users.len() as i64 + 1;
                users.push(staff(id, Role::Agent, agent, Some(index as i64 + 1)));
                agents.push(Agent {
                    user_id: id,
                    team: index,
                    activity: rng.random_range(0.7..1.3),
                    first_contact_rate: rng.random_range(0.58..0.80),
                });
            }
        }

        let customers = customers(&mut rng, users.len() as i64 + 1);
        let customer_weights: Vec<f64> = customers
            .iter()
            .map(|c| match c.customer_type {
                Some(CustomerType::Member) => 4.0,
                Some(CustomerType::Returning) => 3.0,
                _ => 1.0,
            })
            .collect();
        let customer_ids: Vec<i64> = customers.iter().map(|c| c.id).collect();
        users.extend(customers);

        let agent_pick = WeightedIndex::new(agents.iter().map(|a| a.activity))
            .expect("agents have positive activity");
        let customer_pick =
            WeightedIndex::new(customer_weights).expect("customers have positive weights");
        let mut generator = Generator {
            rng,
            now,
            agents,
            customers: customer_ids,
            customer_pick,
            agent_pick,
            order_sequence: 0,
        };
        let mut records: Vec<(RecordPlan, bool)> = generator
            .daily_records()
            .into_iter()
            .map(|r| (r, false))
            .collect();
        records.extend(
            generator
                .story_records(&users)
                .into_iter()
                .map(|r| (r, true)),
        );
        records.retain(|(r, _)| r.ended_at <= now);
        records.sort_by_key(|(r, _)| r.started_at);
        let (mut records, story): (Vec<RecordPlan>, Vec<bool>) = records.into_iter().unzip();
        for (index, record) in records.iter_mut().enumerate() {
            record.external_id = format!("HD{:08}", index + 1);
        }
        let evaluations = evaluations::plan(seed, now, &users, &records, &story);
        // Last, so that every id and draw before them stays as it was.
        for colleague in QA_COLLEAGUES {
            let id = users.len() as i64 + 1;
            users.push(staff(id, Role::QaInspector, colleague, None));
        }

        DemoPlan {
            teams,
            users,
            records,
            evaluations,
            created_at: now,
        }
    }

    pub fn summary(&self) -> DemoSummary {
        DemoSummary {
            teams: self.teams.len(),
            users: self.users.len(),
            records: self.records.len(),
            evaluations: self.evaluations.len(),
            suggestions: self
                .evaluations
                .iter()
                .filter(|e| e.suggestion.is_some())
                .count(),
        }
    }
}

fn staff(id: i64, role: Role, (employee_no, name): (&str, &str), team_id: Option<i64>) -> UserPlan {
    UserPlan {
        id,
        role,
        display_name: name.to_owned(),
        employee_no: Some(employee_no.to_owned()),
        customer_no: None,
        member_no: None,
        phone: None,
        customer_type: None,
        team_id,
    }
}

/// The customers, ids from `first_id`; the two stable demo customers come first.
fn customers(rng: &mut ChaCha8Rng, first_id: i64) -> Vec<UserPlan> {
    let mut phones: std::collections::HashSet<String> = [DEMO_MEMBER_PHONE, DEMO_CUSTOMER_PHONE]
        .map(str::to_owned)
        .into();
    let mut members = 0;
    let mut customers = Vec::with_capacity(CUSTOMERS);
    for index in 0..CUSTOMERS {
        let (display_name, phone, customer_type) = match index {
            0 => (
                "李明".to_owned(),
                DEMO_MEMBER_PHONE.to_owned(),
                CustomerType::Member,
            ),
            1 => (
                "陈晓燕".to_owned(),
                DEMO_CUSTOMER_PHONE.to_owned(),
                CustomerType::Returning,
            ),
            _ => {
                let name = format!(
                    "{}{}",
                    SURNAMES.choose(rng).expect("surnames"),
                    GIVEN_NAMES.choose(rng).expect("given names")
                );
                let phone = loop {
                    let phone = format!(
                        "{}{:08}",
                        PHONE_PREFIXES.choose(rng).expect("prefixes"),
                        rng.random_range(0..100_000_000)
                    );
                    if phones.insert(phone.clone()) {
                        break phone;
                    }
                };
                let kind = match rng.random::<f64>() {
                    x if x < 0.3 => CustomerType::New,
                    x if x < 0.7 => CustomerType::Returning,
                    _ => CustomerType::Member,
                };
                (name, phone, kind)
            }
        };
        let member_no = (customer_type == CustomerType::Member).then(|| {
            members += 1;
            format!("M{members:06}")
        });
        customers.push(UserPlan {
            id: first_id + index as i64,
            role: Role::Customer,
            display_name,
            employee_no: None,
            customer_no: Some(format!("C{:06}", index + 1)),
            member_no,
            phone: Some(phone),
            customer_type: Some(customer_type),
            team_id: None,
        });
    }
    customers
}

/// Monday is the busiest day, weekends the quietest.
fn weekday_factor(day: Weekday) -> f64 {
    match day {
        Weekday::Mon => 1.12,
        Weekday::Tue | Weekday::Wed => 1.0,
        Weekday::Thu => 0.98,
        Weekday::Fri => 1.05,
        Weekday::Sat => 0.62,
        Weekday::Sun => 0.55,
    }
}

/// Index drawn with the given (not necessarily normalised) weights.
fn pick_index(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = f64> + Clone) -> usize {
    let total: f64 = weights.clone().sum();
    let mut x = rng.random::<f64>() * total;
    let mut last = 0;
    for (index, weight) in weights.enumerate() {
        if weight > 0.0 {
            last = index;
            if x < weight {
                return index;
            }
            x -= weight;
        }
    }
    last
}

/// The records of the two demo customers the accounts issue and the end-to-end tests sign in
/// as: (customer phone, agent, days ago, hour, minute, service type). Those at most 4 days ago
/// start no later than 21:30, so each ended between 2 hours and 5 days before `now` whatever
/// the time of day `now` is; they and every other record of the two customers from the last
/// five days stay unrated. The older ones are always rated.
const STORY: &[(&str, &str, u64, u32, u32, &str)] = &[
    (DEMO_MEMBER_PHONE, "E1001", 1, 10, 15, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1007", 1, 16, 30, "in_store"),
    (DEMO_MEMBER_PHONE, "E1002", 1, 20, 45, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1001", 2, 14, 40, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1008", 2, 9, 50, "delivery"),
    (DEMO_MEMBER_PHONE, "E1003", 2, 18, 20, "phone_follow_up"),
    (DEMO_MEMBER_PHONE, "E1012", 3, 11, 10, "after_sales_repair"),
    (DEMO_MEMBER_PHONE, "E1001", 3, 15, 35, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1004", 3, 20, 5, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1001", 4, 19, 5, "phone_follow_up"),
    (DEMO_MEMBER_PHONE, "E1009", 4, 10, 25, "in_store"),
    (DEMO_MEMBER_PHONE, "E1010", 4, 14, 0, "delivery"),
    (DEMO_MEMBER_PHONE, "E1001", 6, 11, 30, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1007", 9, 13, 15, "in_store"),
    (DEMO_MEMBER_PHONE, "E1001", 15, 16, 20, "online_chat"),
    (DEMO_MEMBER_PHONE, "E1013", 24, 10, 5, "after_sales_repair"),
    (DEMO_MEMBER_PHONE, "E1001", 33, 9, 45, "phone_follow_up"),
    (DEMO_MEMBER_PHONE, "E1008", 47, 15, 50, "delivery"),
    (DEMO_MEMBER_PHONE, "E1001", 61, 20, 10, "online_chat"),
    (DEMO_CUSTOMER_PHONE, "E1005", 1, 11, 20, "online_chat"),
    (DEMO_CUSTOMER_PHONE, "E1001", 1, 19, 40, "phone_follow_up"),
    (DEMO_CUSTOMER_PHONE, "E1011", 2, 10, 10, "in_store"),
    (DEMO_CUSTOMER_PHONE, "E1007", 2, 16, 55, "delivery"),
    (DEMO_CUSTOMER_PHONE, "E1002", 2, 21, 0, "phone_follow_up"),
    (DEMO_CUSTOMER_PHONE, "E1001", 3, 15, 0, "online_chat"),
    (DEMO_CUSTOMER_PHONE, "E1014", 3, 9, 30, "after_sales_repair"),
    (DEMO_CUSTOMER_PHONE, "E1006", 4, 13, 45, "online_chat"),
    (DEMO_CUSTOMER_PHONE, "E1001", 4, 20, 15, "online_chat"),
    (DEMO_CUSTOMER_PHONE, "E1009", 11, 14, 20, "in_store"),
    (DEMO_CUSTOMER_PHONE, "E1001", 20, 10, 30, "online_chat"),
    (DEMO_CUSTOMER_PHONE, "E1010", 38, 10, 0, "delivery"),
];

impl Generator {
    /// The helpdesk's traffic, day by day, oldest first.
    fn daily_records(&mut self) -> Vec<RecordPlan> {
        let today = org_day(self.now);
        let mut records = Vec::new();
        for back in (0..DEMO_DAYS).rev() {
            let day = today - Days::new(back);
            // A slow growth over the period, plus day-to-day noise.
            let trend = 0.92 + 0.16 * (1.0 - back as f64 / DEMO_DAYS as f64);
            let expected = RECORDS_PER_WEEKDAY
                * weekday_factor(day.weekday())
                * trend
                * self.rng.random_range(0.88..1.12);
            for _ in 0..expected.round() as usize {
                let agent = self.agent_pick.sample(&mut self.rng);
                let customer = self.customers[self.customer_pick.sample(&mut self.rng)];
                let types = TEAMS[self.agents[agent].team].types;
                let code = types[pick_index(&mut self.rng, types.iter().map(|t| t.1))].0;
                let profile = profile(code);
                let hour = pick_index(&mut self.rng, profile.hours.iter().copied()) as u32;
                let minute = self.rng.random_range(0..60);
                let second = self.rng.random_range(0..60);
                let started_at = local_time(day, hour, minute, second);
                let urgency = self.urgency();
                let category = self.category();
                records.push(self.record(agent, customer, profile, started_at, urgency, category));
            }
        }
        records
    }

    /// The fixed records of [`STORY`].
    fn story_records(&mut self, users: &[UserPlan]) -> Vec<RecordPlan> {
        let today = org_day(self.now);
        STORY
            .iter()
            .map(|&(phone, agent_no, days_ago, hour, minute, code)| {
                let agent_user = users
                    .iter()
                    .find(|u| u.employee_no.as_deref() == Some(agent_no))
                    .expect("the story's agents exist")
                    .id;
                let agent = self
                    .agents
                    .iter()
                    .position(|a| a.user_id == agent_user)
                    .expect("the story's agents are agents");
                debug_assert!(
                    TEAMS[self.agents[agent].team]
                        .types
                        .iter()
                        .any(|t| t.0 == code),
                    "{agent_no} handles {code}"
                );
                let customer = users
                    .iter()
                    .find(|u| u.phone.as_deref() == Some(phone))
                    .expect("the demo customers exist")
                    .id;
                let started_at = local_time(today - Days::new(days_ago), hour, minute, 0);
                self.record(
                    agent,
                    customer,
                    profile(code),
                    started_at,
                    Urgency::Normal,
                    Category::Consultation,
                )
            })
            .collect()
    }

    /// ≈15 % high, 65 % normal, 20 % low.
    fn urgency(&mut self) -> Urgency {
        match self.rng.random::<f64>() {
            x if x < 0.15 => Urgency::High,
            x if x < 0.80 => Urgency::Normal,
            _ => Urgency::Low,
        }
    }

    /// Mostly consultations, ≈15 % complaints, then suggestions and praise.
    fn category(&mut self) -> Category {
        match self.rng.random::<f64>() {
            x if x < 0.58 => Category::Consultation,
            x if x < 0.73 => Category::Complaint,
            x if x < 0.85 => Category::Suggestion,
            _ => Category::Praise,
        }
    }

    /// One record started at `started_at`; the other times are drawn around it so that
    /// requested ≤ first response ≤ started ≤ ended ≤ resolved.
    fn record(
        &mut self,
        agent: usize,
        customer_id: i64,
        profile: &'static TypeProfile,
        started_at: DateTime<Utc>,
        urgency: Urgency,
        category: Category,
    ) -> RecordPlan {
        let rng = &mut self.rng;
        let sla = response_sla(&Settings::default(), urgency).num_seconds() as f64;
        let response_seconds = if rng.random_bool(profile.late_share) {
            sla * rng.random_range(1.05..2.5)
        } else {
            let typical = profile.response_pace * (0.1 + 1.9 * rng.random::<f64>().powf(1.6));
            sla * typical.min(0.98)
        };
        let (gap_min, gap_max) = profile.start_gap_minutes;
        let first_response_at = started_at
            - Duration::minutes(rng.random_range(gap_min..=gap_max))
            - Duration::seconds(rng.random_range(0..60));
        let requested_at = first_response_at - Duration::seconds(response_seconds.max(15.0) as i64);

        let (min, max) = profile.duration_minutes;
        let mut minutes = rng.random_range(min as f64..=max as f64);
        if category == Category::Complaint {
            minutes *= 1.4;
        }
        let ended_at = started_at + Duration::seconds((minutes * 60.0) as i64);

        let first_contact_rate = self.agents[agent].first_contact_rate;
        let rate = match category {
            Category::Consultation => first_contact_rate + 0.05,
            Category::Complaint => first_contact_rate - 0.2,
            Category::Suggestion => first_contact_rate,
            Category::Praise => 0.95,
        };
        let resolved_first_contact = rng.random_bool(rate.clamp(0.0, 1.0));
        let resolved_at = if resolved_first_contact {
            Some(ended_at)
        } else {
            let later = ended_at + Duration::minutes(rng.random_range(120..=96 * 60));
            (later <= self.now).then_some(later)
        };

        let order_no = if rng.random_bool(profile.order_share) {
            self.order_sequence += 1;
            Some(format!(
                "{}{}{:06}",
                profile.order_prefix,
                org_day(requested_at).format("%Y%m%d"),
                self.order_sequence
            ))
        } else {
            None
        };

        let pool = match category {
            Category::Consultation => profile.consultation_tags,
            Category::Complaint => profile.complaint_tags,
            Category::Suggestion => SUGGESTION_TAGS,
            Category::Praise => PRAISE_TAGS,
        };
        let mut tags = vec![*pool.choose(rng).expect("tags")];
        if rng.random_bool(0.3) {
            let second = *pool.choose(rng).expect("tags");
            if !tags.contains(&second) {
                tags.push(second);
            }
        }

        RecordPlan {
            external_id: String::new(),
            customer_id,
            agent_id: self.agents[agent].user_id,
            service_type: profile.code,
            channel: profile.channel,
            started_at,
            ended_at,
            order_no,
            urgency,
            category,
            tags,
            requested_at,
            first_response_at: Some(first_response_at),
            resolved_at,
            resolved_first_contact,
        }
    }
}

fn local_time(day: NaiveDate, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    org_local(
        day.and_hms_opt(hour, minute, second)
            .expect("hours, minutes and seconds are in range"),
    )
}
