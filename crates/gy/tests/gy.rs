//! The Gy server end to end over TCP, with keepsim's own codec as the client
//! (the independent client is python-diameter in tests/interop): a data session,
//! retransmission, exhaustion, roaming, unknown subscriber and session, bad input.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use keepsim_diameter::dictionary::{avp, cc_request_type, final_unit_action, result_code};
use keepsim_diameter::gy::{Ccr, LocalPeer, Mscc, Units, cer, dwr};
use keepsim_diameter::{Avp, Message, frame_len};
use keepsim_domain::catalogue::Catalogue;
use keepsim_services::Services;
use keepsim_store::*;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uuid::Uuid;

const CATALOGUE: &str = r#"
[[package]]
code = "JP-1MB"
name = "Japan 1 MB"
tier = "basic"
countries = ["JP"]
data = "1MB"
validity_days = 3
starts = "first_use"
prices = { CNY = "1.00" }
"#;

struct Harness {
    services: Services,
    addr: std::net::SocketAddr,
    line: LineRecord,
    account: Uuid,
    _dir: tempfile::TempDir,
}

async fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        keepsim_store_sqlite::SqliteStore::connect(&format!("sqlite://{}", dir.path().join("k.db").display()))
            .await
            .unwrap(),
    );
    let services = Services::new(store.clone());
    let catalogue = Catalogue::from_toml(CATALOGUE).unwrap();
    services.seed_catalogue(&catalogue).await.unwrap();
    services.seed_demo_inventory(3).await.unwrap();
    let now = OffsetDateTime::now_utc();
    let account = services.register("gy@example.com", "correct horse battery", None).await.unwrap();
    let device = services.bind_device(&account, "490154203237518", None, None).await.unwrap();
    let line = services.create_line(&account, device.id).await.unwrap();
    // A paid order, fulfilled by the real worker step.
    let package = catalogue.package("JP-1MB").unwrap().clone();
    let order = store
        .create_order(NewOrder {
            id: Uuid::now_v7(),
            account_id: account.id,
            line_id: line.id,
            amount: package.prices[0],
            package,
            method: "alipay".into(),
            idempotency_key: "k".into(),
            request_hash: "h".into(),
            out_trade_no: "gy-test".into(),
            created_at: now,
            expires_at: now + Duration::minutes(30),
            creating_until: now,
        })
        .await
        .unwrap();
    store
        .apply_payment_event(PaymentEvent {
            method: "alipay".into(),
            event_id: "e".into(),
            order_id: order.id,
            effect: PaymentEffect::Paid { provider_ref: "t".into() },
            kind: "paid".into(),
            received_at: now,
        })
        .await
        .unwrap();
    services.fulfil_next().await.unwrap().unwrap();
    let (addr, stop) = serve(&services, 64, 8).await;
    std::mem::forget(stop);
    Harness { services, addr, line, account: account.id, _dir: dir }
}

/// A Gy server over `services` on a loopback port, processing at most `max_in_flight` CCRs at once;
/// it stops when the returned sender sends `true` or is dropped.
async fn serve(
    services: &Services,
    max_in_flight: usize,
    max_connections: usize,
) -> (std::net::SocketAddr, tokio::sync::watch::Sender<bool>) {
    let app = Arc::new(keepsim_gy::GyApp::new(services.clone(), "ocs.test", "test", Default::default(), max_in_flight));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = keepsim_gy::GyConfig {
        local: LocalPeer::new("ocs.test", "test", vec![addr.ip()]),
        peers: keepsim_gy::AllowList::loopback(),
        max_connections,
        max_message_len: 64 * 1024,
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(keepsim_gy::serve(listener, config, app, stopped));
    (addr, stop)
}

struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
    hop: u32,
}

impl Client {
    async fn connect(addr: std::net::SocketAddr) -> Client {
        Client { stream: TcpStream::connect(addr).await.unwrap(), buf: Vec::new(), hop: 1 }
    }

    async fn send(&mut self, m: &Message) -> Message {
        self.stream.write_all(&m.encode()).await.unwrap();
        self.read().await
    }

    async fn read(&mut self) -> Message {
        loop {
            if let Some(n) = frame_len(&self.buf, 1 << 20).unwrap()
                && self.buf.len() >= n
            {
                let bytes: Vec<u8> = self.buf.drain(..n).collect();
                return Message::decode(&bytes, 1 << 20).unwrap();
            }
            let mut chunk = [0u8; 4096];
            let n = tokio::time::timeout(std::time::Duration::from_secs(10), self.stream.read(&mut chunk))
                .await
                .unwrap()
                .unwrap();
            assert!(n > 0, "server closed the connection");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    async fn open(addr: std::net::SocketAddr) -> Client {
        let mut c = Client::connect(addr).await;
        let cea = c.send(&cer(&LocalPeer::new("pgw.test", "test", vec![addr.ip()]), 1, 1)).await;
        assert_eq!(result(&cea), result_code::SUCCESS);
        c
    }

    /// Sends two copies of `ccr` in one write (the second with the T flag, as a PCEF whose timer fired
    /// sends it) and returns both answers, in the order of the copies.
    async fn twice(&mut self, ccr: &Ccr) -> (Message, Message) {
        let first = ccr.to_request("test", self.hop + 1, self.hop + 1);
        let mut second = ccr.to_request("test", self.hop + 2, self.hop + 1);
        second.header.flags.retransmit = true;
        self.hop += 2;
        let mut bytes = first.encode();
        bytes.extend(second.encode());
        self.stream.write_all(&bytes).await.unwrap();
        let (a, b) = (self.read().await, self.read().await);
        if a.header.hop_by_hop == first.header.hop_by_hop { (a, b) } else { (b, a) }
    }

    async fn ccr(&mut self, ccr: &Ccr) -> Message {
        self.hop += 1;
        self.send(&ccr.to_request("test", self.hop, self.hop)).await
    }
}

fn result(m: &Message) -> u32 {
    m.find(avp::RESULT_CODE).unwrap().as_u32().unwrap()
}

fn mscc_results(m: &Message) -> Vec<(u32, Option<u64>, bool)> {
    m.find_all(avp::MULTIPLE_SERVICES_CREDIT_CONTROL)
        .map(|a| {
            let inner = a.as_grouped().unwrap();
            let rc = inner.iter().find(|x| x.code == avp::RESULT_CODE).unwrap().as_u32().unwrap();
            let gsu = inner.iter().find(|x| x.code == avp::GRANTED_SERVICE_UNIT).map(|g| {
                g.as_grouped().unwrap().iter().find(|x| x.code == avp::CC_TOTAL_OCTETS).unwrap().as_u64().unwrap()
            });
            let fui = inner
                .iter()
                .find(|x| x.code == avp::FINAL_UNIT_INDICATION)
                .map(|f| f.as_grouped().unwrap()[0].as_u32().unwrap() == final_unit_action::TERMINATE);
            (rc, gsu, fui.unwrap_or(false))
        })
        .collect()
}

fn ccr(session: &str, kind: u32, number: u32, msisdn: &str, plmn: &str, mscc: Vec<Mscc>) -> Ccr {
    Ccr {
        session_id: session.into(),
        origin_host: "pgw.test".into(),
        origin_realm: "test".into(),
        request_type: kind,
        request_number: number,
        subscription_ids: vec![(0, msisdn.into())],
        requested_action: None,
        sgsn_mcc_mnc: Some(plmn.into()),
        mscc,
        termination_cause: None,
    }
}

fn data(rsu: Option<u64>, usu: Option<u64>) -> Mscc {
    Mscc {
        rating_group: Some(10),
        requested: rsu.map(|r| Units { total_octets: Some(r), ..Units::default() }),
        used: usu.map(|u| vec![Units { total_octets: Some(u), ..Units::default() }]).unwrap_or_default(),
        ..Mscc::default()
    }
}

async fn used(h: &Harness) -> (u64, u64) {
    let b = &h.services.store.line_bundles(h.account, h.line.id).await.unwrap()[0];
    (b.data.used, b.data.reserved)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_session_is_granted_debited_and_closed_and_retransmissions_are_not_charged_twice() {
    let h = harness().await;
    let mut c = Client::open(h.addr).await;
    let msisdn = h.line.msisdn.as_str();
    let a = c.ccr(&ccr("s1", cc_request_type::INITIAL, 0, msisdn, "44010", vec![data(Some(300_000), None)])).await;
    assert_eq!(result(&a), 2001);
    assert_eq!(mscc_results(&a), vec![(2001, Some(300_000), false)]);
    let validity = a.find(avp::MULTIPLE_SERVICES_CREDIT_CONTROL).unwrap().as_grouped().unwrap();
    assert!(validity.iter().any(|x| x.code == avp::VALIDITY_TIME), "grants carry Validity-Time");
    assert_eq!(used(&h).await, (0, 300_000), "held, committed before the answer");

    let update = ccr("s1", cc_request_type::UPDATE, 1, msisdn, "44010", vec![data(Some(300_000), Some(250_000))]);
    let u1 = c.ccr(&update).await;
    assert_eq!(mscc_results(&u1), vec![(2001, Some(300_000), false)]);
    let u2 = c.ccr(&update).await; // a retransmission: same Session-Id and CC-Request-Number
    assert_eq!(u2.avps, u1.avps, "the same answer");
    assert_eq!(used(&h).await, (250_000, 300_000), "debited once");

    // Exhaustion: 1 MiB in all; ask for more than is left.
    let u3 = c
        .ccr(&ccr("s1", cc_request_type::UPDATE, 2, msisdn, "44010", vec![data(Some(2_000_000), Some(300_000))]))
        .await;
    let left = 1_048_576 - 550_000;
    assert_eq!(mscc_results(&u3), vec![(2001, Some(left), true)], "the last units carry Final-Unit-Indication");
    let u4 = c.ccr(&ccr("s1", cc_request_type::UPDATE, 3, msisdn, "44010", vec![data(Some(1000), Some(left))])).await;
    assert_eq!(mscc_results(&u4), vec![(4012, None, false)]);
    let t = c.ccr(&ccr("s1", cc_request_type::TERMINATION, 4, msisdn, "44010", vec![data(None, Some(0))])).await;
    assert_eq!(result(&t), 2001);
    assert_eq!(used(&h).await, (1_048_576, 0));
    assert_eq!(h.services.store.check_ledger().await.unwrap(), vec![], "the ledger explains the balance");

    // The session is over.
    let late = c.ccr(&ccr("s1", cc_request_type::UPDATE, 5, msisdn, "44010", vec![data(Some(1), Some(0))])).await;
    assert_eq!(mscc_results(&late), vec![(4012, None, false)], "nothing left to grant after terminate");
    let dwa = c.send(&dwr(&LocalPeer::new("pgw.test", "test", vec![h.addr.ip()]), 99, 99)).await;
    assert_eq!(result(&dwa), 2001);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_copies_of_a_request_arriving_together_get_one_answer_and_are_charged_once() {
    let h = harness().await;
    let mut c = Client::open(h.addr).await;
    let msisdn = h.line.msisdn.as_str();
    let same = |a: &Message, b: &Message, what: &str| {
        assert_eq!(a.avps, b.avps, "{what}: both copies get the same answer");
        assert_eq!(result(a), 2001, "{what}: {:?}", a.find(avp::ERROR_MESSAGE).and_then(|e| e.as_utf8().ok()));
    };
    let (a, b) = c.twice(&ccr("t1", cc_request_type::INITIAL, 0, msisdn, "44010", vec![data(Some(1000), None)])).await;
    same(&a, &b, "initial");
    assert_eq!(used(&h).await, (0, 1000), "reserved once");
    for n in 1..=20 {
        let update = ccr("t1", cc_request_type::UPDATE, n, msisdn, "44010", vec![data(Some(1000), Some(1000))]);
        let (a, b) = c.twice(&update).await;
        same(&a, &b, &format!("update {n}"));
    }
    assert_eq!(used(&h).await, (20_000, 1000), "each update debited once");
    let (a, b) =
        c.twice(&ccr("t1", cc_request_type::TERMINATION, 21, msisdn, "44010", vec![data(None, Some(1000))])).await;
    same(&a, &b, "terminate");
    assert_eq!(used(&h).await, (21_000, 0));
    for e in 0..5 {
        let event = ccr(&format!("ev{e}"), cc_request_type::EVENT, 0, msisdn, "44010", vec![data(Some(500), None)]);
        let (a, b) = c.twice(&event).await;
        same(&a, &b, "event");
        let again = c.ccr(&event).await;
        assert_eq!(again.avps, a.avps, "a later retransmission of the event gets the same answer");
    }
    assert_eq!(used(&h).await, (23_500, 0), "each event debited once");

    // After a restart (a new server: no session remembered) the event is still not charged twice.
    let (addr, _stop) = serve(&h.services, 64, 8).await;
    let mut after = Client::open(addr).await;
    let event = ccr("ev0", cc_request_type::EVENT, 0, msisdn, "44010", vec![data(Some(500), None)]);
    let again = after.ccr(&event).await;
    assert_eq!(mscc_results(&again), vec![(2001, Some(500), false)]);
    assert_eq!(used(&h).await, (23_500, 0), "the event's copy after the restart is not charged");
    assert_eq!(h.services.store.check_ledger().await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_subscribers_sessions_and_rating_groups_and_roaming_are_answered_and_change_nothing() {
    let h = harness().await;
    let mut c = Client::open(h.addr).await;
    let msisdn = h.line.msisdn.as_str();
    let a = c.ccr(&ccr("u1", cc_request_type::INITIAL, 0, "85299999999", "44010", vec![data(Some(1000), None)])).await;
    assert_eq!(result(&a), 5030);
    let a = c.ccr(&ccr("u2", cc_request_type::UPDATE, 1, msisdn, "44010", vec![data(Some(1000), Some(5))])).await;
    assert_eq!(result(&a), 5002);
    let mut odd = data(Some(1000), None);
    odd.rating_group = Some(999);
    let a = c.ccr(&ccr("u3", cc_request_type::INITIAL, 0, msisdn, "44010", vec![odd, data(Some(1000), None)])).await;
    assert_eq!(result(&a), 2001);
    assert_eq!(mscc_results(&a), vec![(5031, None, false), (2001, Some(1000), false)]);
    let a = c.ccr(&ccr("u4", cc_request_type::INITIAL, 0, msisdn, "20801", vec![data(Some(1000), None)])).await;
    assert_eq!(mscc_results(&a), vec![(4012, None, false)], "France is outside the Japan bundle");
    let mut no_sub = ccr("u5", cc_request_type::INITIAL, 0, msisdn, "44010", vec![data(Some(1), None)]);
    no_sub.subscription_ids.clear();
    let a = c.ccr(&no_sub).await;
    assert_eq!(result(&a), 5005);
    assert!(a.find(avp::FAILED_AVP).is_some());
    let a = c.ccr(&ccr("u3", cc_request_type::UPDATE, 0, msisdn, "44010", vec![data(Some(1), Some(1))])).await;
    assert_eq!(result(&a), 2001, "a retransmission of request 0 gets its cached answer");
    let mut unknown_mandatory =
        ccr("u6", cc_request_type::INITIAL, 0, msisdn, "44010", vec![]).to_request("test", 7, 7);
    unknown_mandatory.push(Avp::u32(99_999, None, true, 1));
    let a = c.send(&unknown_mandatory).await;
    assert_eq!(result(&a), 5001);
    let absurd = c.ccr(&ccr("u7", cc_request_type::INITIAL, 0, msisdn, "44010", vec![data(Some(1 << 50), None)])).await;
    assert_eq!(result(&absurd), 5004);
    assert!(absurd.find(avp::FAILED_AVP).is_some());
    assert_eq!(used(&h).await, (0, 1000), "only u3's grant is held");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ccr_before_cer_garbage_and_foreign_applications_close_only_that_connection() {
    let h = harness().await;
    let msisdn = h.line.msisdn.as_str().to_string();
    let mut early = Client::connect(h.addr).await;
    let a = early
        .send(
            &ccr("e1", cc_request_type::INITIAL, 0, &msisdn, "44010", vec![data(Some(1), None)])
                .to_request("test", 1, 1),
        )
        .await;
    assert_eq!(result(&a), 3010);
    let mut garbage = TcpStream::connect(h.addr).await.unwrap();
    garbage.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut sink = Vec::new();
    let n =
        tokio::time::timeout(std::time::Duration::from_secs(5), garbage.read_to_end(&mut sink)).await.unwrap().unwrap();
    assert_eq!(n, 0, "closed without an answer");
    let mut foreign = Client::connect(h.addr).await;
    let mut cer_other = Message::request(257, 0, 1, 1);
    cer_other.push(Avp::utf8(avp::ORIGIN_HOST, None, true, "mme.test"));
    cer_other.push(Avp::utf8(avp::ORIGIN_REALM, None, true, "test"));
    cer_other.push(Avp::u32(avp::AUTH_APPLICATION_ID, None, true, 16_777_251));
    let a = foreign.send(&cer_other).await;
    assert_eq!(result(&a), 5010);
    // The server is unaffected.
    let mut c = Client::open(h.addr).await;
    let a = c.ccr(&ccr("ok", cc_request_type::INITIAL, 0, &msisdn, "44010", vec![data(Some(1), None)])).await;
    assert_eq!(result(&a), 2001);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overloaded_server_answers_too_busy_instead_of_queueing() {
    let h = harness().await;
    // A server that may process a single CCR at a time, hit by many at once.
    let (addr, stop) = serve(&h.services, 1, 64).await;
    let msisdn = h.line.msisdn.as_str().to_string();
    let mut tasks = Vec::new();
    for i in 0..32 {
        let msisdn = msisdn.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Client::open(addr).await;
            let a = c
                .ccr(&ccr(
                    &format!("busy{i}"),
                    cc_request_type::INITIAL,
                    0,
                    &msisdn,
                    "44010",
                    vec![data(Some(1), None)],
                ))
                .await;
            result(&a)
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    assert!(codes.iter().all(|c| *c == 2001 || *c == 3004), "{codes:?}");
    assert!(codes.contains(&2001), "{codes:?}");
    let _ = stop.send(true);
}
