//! Support tickets: a customer opens one with a first message, staff answer (the
//! customer is notified), the customer replies (the ticket is open again), staff close it.
//! Staff actions are audited by the caller with [`Services::audit`].

use crate::{ServiceError, Services};
use keepsim_domain::ticket::{self, TicketAuthor, TicketStatus, TicketTextError};
use keepsim_store::{Page, StaffRecord, TicketMessageRecord, TicketRecord};
use uuid::Uuid;

/// A ticket with its messages, oldest first.
pub type TicketThread = (TicketRecord, Vec<TicketMessageRecord>);

fn invalid(field: &'static str) -> impl FnOnce(TicketTextError) -> ServiceError {
    move |e| ServiceError::InvalidField { field, reason: e.to_string() }
}

impl Services {
    /// Opens a ticket for the customer. The subject (1–200 characters) and the message
    /// (1–5000) are trimmed; a bad one is `InvalidField` naming `subject` or `body`.
    pub async fn open_ticket(&self, account_id: Uuid, subject: &str, body: &str) -> Result<TicketRecord, ServiceError> {
        let subject = ticket::subject(subject).map_err(invalid("subject"))?;
        let body = ticket::body(body).map_err(invalid("body"))?;
        let now = self.clock.now();
        let t = TicketRecord {
            id: Uuid::now_v7(),
            account_id,
            subject,
            status: TicketStatus::Open,
            created_at: now,
            updated_at: now,
        };
        let first = TicketMessageRecord {
            id: Uuid::now_v7(),
            ticket_id: t.id,
            author: TicketAuthor::Customer,
            staff_id: None,
            body,
            created_at: now,
        };
        self.store.create_ticket(t.clone(), first).await?;
        tracing::info!(ticket = %t.id, account = %account_id, "ticket opened");
        Ok(t)
    }

    /// Adds the customer's reply to one of their tickets; the ticket is open again (also
    /// when it was closed). `NotFound` for anyone else's ticket.
    pub async fn reply_ticket(
        &self,
        account_id: Uuid,
        ticket_id: Uuid,
        body: &str,
    ) -> Result<TicketMessageRecord, ServiceError> {
        let body = ticket::body(body).map_err(invalid("body"))?;
        self.store.ticket_of(account_id, ticket_id).await?.ok_or(ServiceError::NotFound)?;
        let now = self.clock.now();
        let msg = TicketMessageRecord {
            id: Uuid::now_v7(),
            ticket_id,
            author: TicketAuthor::Customer,
            staff_id: None,
            body,
            created_at: now,
        };
        self.store.add_ticket_message(msg.clone(), TicketStatus::Open, now).await?;
        Ok(msg)
    }

    /// The customer's tickets, last updated first.
    pub async fn tickets(&self, account_id: Uuid, page: Page) -> Result<Vec<TicketRecord>, ServiceError> {
        Ok(self.store.tickets_of(account_id, page).await?)
    }

    /// One of the customer's tickets with its messages; `None` for anyone else's.
    pub async fn ticket(&self, account_id: Uuid, id: Uuid) -> Result<Option<TicketThread>, ServiceError> {
        match self.store.ticket_of(account_id, id).await? {
            Some(t) => {
                let messages = self.store.ticket_messages(t.id).await?;
                Ok(Some((t, messages)))
            }
            None => Ok(None),
        }
    }

    /// Tickets for staff, last updated first: those in `status` (`open`, `answered`,
    /// `closed`), or all. An unknown status is `InvalidField` naming `status`.
    pub async fn staff_tickets(&self, status: Option<&str>, page: Page) -> Result<Vec<TicketRecord>, ServiceError> {
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(TicketStatus::parse(s).ok_or_else(|| ServiceError::InvalidField {
                field: "status",
                reason: format!("unknown ticket status {s:?} (open, answered or closed)"),
            })?),
        };
        Ok(self.store.tickets_by_status(status, page).await?)
    }

    /// Any ticket with its messages, for staff.
    pub async fn staff_ticket(&self, id: Uuid) -> Result<Option<TicketThread>, ServiceError> {
        match self.store.ticket_by_id(id).await? {
            Some(t) => {
                let messages = self.store.ticket_messages(t.id).await?;
                Ok(Some((t, messages)))
            }
            None => Ok(None),
        }
    }

    /// Staff answer a ticket: the message is added (signed by `staff`), the ticket becomes
    /// `answered`, and the customer gets a `ticket_answered` notification (once per message).
    /// The caller records it in the audit trail.
    pub async fn answer_ticket(
        &self,
        staff: &StaffRecord,
        ticket_id: Uuid,
        body: &str,
    ) -> Result<TicketMessageRecord, ServiceError> {
        let body = ticket::body(body).map_err(invalid("body"))?;
        let t = self.store.ticket_by_id(ticket_id).await?.ok_or(ServiceError::NotFound)?;
        let now = self.clock.now();
        let msg = TicketMessageRecord {
            id: Uuid::now_v7(),
            ticket_id,
            author: TicketAuthor::Staff,
            staff_id: Some(staff.id),
            body,
            created_at: now,
        };
        self.store.add_ticket_message(msg.clone(), TicketStatus::Answered, now).await?;
        let data = serde_json::json!({ "ticket_id": t.id, "subject": t.subject, "message_id": msg.id });
        self.notify(t.account_id, None, "ticket_answered", data, format!("ticket_answered:{}", msg.id)).await?;
        Ok(msg)
    }

    /// Staff close a ticket; a later reply from the customer opens it again. (`staff` is
    /// who closes it; the caller records it in the audit trail.)
    pub async fn close_ticket(&self, _staff: &StaffRecord, ticket_id: Uuid) -> Result<(), ServiceError> {
        if !self.store.set_ticket_status(ticket_id, TicketStatus::Closed, self.clock.now()).await? {
            return Err(ServiceError::NotFound);
        }
        Ok(())
    }
}
