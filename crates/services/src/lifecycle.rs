//! Number keeping: a line nobody tops up walks `active → grace → suspended →
//! recycled` under the catalogue's keep-alive policy. Grace is incoming-only
//! (the charging engine refuses chargeable service), a qualifying top-up in
//! grace or suspension revives the line, and recycling retires the profile and
//! rests the number in quarantine, never while a bundle or order is open.

use crate::{ServiceError, Services};
use keepsim_domain::line::LineState;
use keepsim_store::StoreError;
use time::Duration;

/// Line-validity warnings: this many days before it ends.
pub const LINE_EXPIRY_WARNINGS: [i64; 2] = [7, 1];

fn date(t: time::OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

impl Services {
    /// One pass of the lifecycle worker; returns how many lines changed state.
    pub async fn sweep_lines(&self) -> Result<usize, ServiceError> {
        let now = self.clock.now();
        let Some(policy) = self.keepalive_policy().await? else { return Ok(0) };
        let mut changed = 0;
        for line in self.store.lines_past_validity(now, 500).await? {
            let Some(valid_until) = line.valid_until else { continue };
            let target = policy.state_at(valid_until, now);
            let mut state = line.state;
            // Walk one step at a time so every state is recorded and warned about.
            while state != target {
                let next = match state {
                    LineState::Active => LineState::Grace,
                    LineState::Grace => LineState::Suspended,
                    LineState::Suspended => LineState::Recycled,
                    _ => break,
                };
                let quarantine_until = now + Duration::days(i64::from(policy.quarantine_days));
                match self.store.set_line_state(line.id, state, next, quarantine_until, now).await {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(StoreError::Conflict("line_busy")) => {
                        tracing::info!(line = %line.id, "not recycled: a bundle or an order is still open");
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
                changed += 1;
                if let Some(charging) = self.charging.get() {
                    charging.invalidate(line.id).await;
                    if next == LineState::Recycled {
                        charging.forget_subscribers();
                    }
                }
                let grace_end = valid_until + Duration::days(i64::from(policy.grace_days));
                let (kind, until) = match next {
                    LineState::Grace => ("line_grace", grace_end),
                    LineState::Suspended => {
                        ("line_suspended", grace_end + Duration::days(i64::from(policy.suspended_days)))
                    }
                    _ => ("", now),
                };
                if !kind.is_empty() {
                    let data = serde_json::json!({
                        "line_id": line.id, "number": line.msisdn.to_e164(), "expires": date(until), "valid_until": date(valid_until),
                    });
                    self.notify(
                        line.account_id,
                        Some(line.id),
                        kind,
                        data,
                        format!("{kind}:{}:{}", line.id, date(valid_until)),
                    )
                    .await?;
                }
                tracing::info!(line = %line.id, from = state.as_str(), to = next.as_str(), "line lifecycle");
                state = next;
            }
        }
        for line in self.store.lines_expiring(now, now + Duration::days(LINE_EXPIRY_WARNINGS[0]), 1000).await? {
            let Some(valid_until) = line.valid_until else { continue };
            let left = valid_until - now;
            let days = LINE_EXPIRY_WARNINGS.iter().copied().filter(|d| left <= Duration::days(*d)).min().unwrap_or(7);
            let data = serde_json::json!({
                "line_id": line.id, "number": line.msisdn.to_e164(), "days": days, "valid_until": date(valid_until),
            });
            let key = format!("line_expiring:{}:{}:{days}", line.id, date(valid_until));
            self.notify(line.account_id, Some(line.id), "line_expiring", data, key).await?;
        }
        Ok(changed)
    }
}
