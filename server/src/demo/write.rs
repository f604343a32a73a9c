//! Writing a demo plan's teams, users and service records.

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use pingjia_domain::wire::CustomerType;

use crate::time::to_db;

use super::DemoPlan;

pub(crate) async fn insert_teams(conn: &mut Conn, plan: &DemoPlan) -> Result<(), sqlx::Error> {
    let mut insert = QueryBuilder::new("INSERT INTO teams (id, name, name_en) ");
    insert.push_values(&plan.teams, |mut row, team| {
        row.push_bind(team.id)
            .push_bind(team.name)
            .push_bind(super::generate::team_name_en(team.name));
    });
    insert.build().execute(conn).await?;
    Ok(())
}

/// The tags' English names.
pub(crate) async fn insert_tag_names(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let mut insert = QueryBuilder::new("INSERT INTO tag_names (tag, name_en) ");
    insert.push_values(super::generate::TAG_NAMES_EN, |mut row, (tag, en)| {
        row.push_bind(*tag).push_bind(*en);
    });
    insert.build().execute(conn).await?;
    Ok(())
}

pub(crate) async fn insert_users(
    conn: &mut Conn,
    plan: &DemoPlan,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    let created_at = to_db(plan.created_at);
    for chunk in plan.users.chunks(500) {
        let mut insert = QueryBuilder::new(
            "INSERT INTO users (id, role, display_name, employee_no, customer_no, member_no, \
             phone, customer_type, team_id, password_hash, created_at) ",
        );
        insert.push_values(chunk, |mut row, user| {
            row.push_bind(user.id)
                .push_bind(user.role.as_str())
                .push_bind(&user.display_name)
                .push_bind(&user.employee_no)
                .push_bind(&user.customer_no)
                .push_bind(&user.member_no)
                .push_bind(&user.phone)
                .push_bind(user.customer_type.map(CustomerType::as_str))
                .push_bind(user.team_id)
                .push_bind(password_hash)
                .push_bind(&created_at);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn assign_team_leads(conn: &mut Conn, plan: &DemoPlan) -> Result<(), sqlx::Error> {
    for team in &plan.teams {
        sql::query("UPDATE teams SET lead_user_id = ? WHERE id = ?")
            .bind(team.lead_user_id)
            .bind(team.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(crate) async fn insert_records(conn: &mut Conn, plan: &DemoPlan) -> Result<(), sqlx::Error> {
    let created_at = to_db(plan.created_at);
    // 17 parameters a row: 1,000 rows stay far below SQLite's 32,766 bound parameters.
    const ROWS: usize = 1000;
    for (chunk_index, chunk) in plan.records.chunks(ROWS).enumerate() {
        let mut insert = QueryBuilder::new(
            "INSERT INTO service_records (id, external_id, customer_id, agent_id, service_type, \
             channel, started_at, ended_at, order_no, urgency, category, tags, requested_at, \
             first_response_at, resolved_at, resolved_first_contact, created_at) ",
        );
        let first_id = (chunk_index * ROWS) as i64 + 1;
        insert.push_values(chunk.iter().enumerate(), |mut row, (index, r)| {
            let tags = serde_json::to_string(&r.tags).expect("tags serialise");
            row.push_bind(first_id + index as i64)
                .push_bind(&r.external_id)
                .push_bind(r.customer_id)
                .push_bind(r.agent_id)
                .push_bind(r.service_type)
                .push_bind(r.channel.as_str())
                .push_bind(to_db(r.started_at))
                .push_bind(to_db(r.ended_at))
                .push_bind(&r.order_no)
                .push_bind(r.urgency.as_str())
                .push_bind(r.category.as_str())
                .push_bind(tags)
                .push_bind(to_db(r.requested_at))
                .push_bind(r.first_response_at.map(to_db))
                .push_bind(r.resolved_at.map(to_db))
                .push_bind(r.resolved_first_contact)
                .push_bind(&created_at);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
