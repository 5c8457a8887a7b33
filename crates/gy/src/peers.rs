//! Which peers may connect: IP addresses and networks (`10.0.0.0/8`, `::1`).

use std::net::IpAddr;

/// An allow-list of addresses and networks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowList(Vec<(IpAddr, u8)>);

/// A malformed allow-list entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("peer {0:?} is not an IP address or network such as 10.0.0.0/8")]
pub struct BadPeer(pub String);

impl AllowList {
    /// Loopback only (the default).
    pub fn loopback() -> AllowList {
        AllowList(vec![(IpAddr::from([127, 0, 0, 0]), 8), (IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]), 128)])
    }

    /// Parses a comma-separated list of addresses and networks.
    pub fn parse(s: &str) -> Result<AllowList, BadPeer> {
        let mut out = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (addr, prefix) = match item.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (item, None),
            };
            let ip: IpAddr = addr.parse().map_err(|_| BadPeer(item.into()))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| BadPeer(item.into()))?,
                None => max,
            };
            out.push((ip, prefix));
        }
        if out.is_empty() {
            return Err(BadPeer(s.into()));
        }
        Ok(AllowList(out))
    }

    /// Whether `ip` may connect.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        self.0.iter().any(|(net, prefix)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if *prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(*prefix)) };
                u32::from(*n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if *prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(*prefix)) };
                u128::from(*n) & mask == u128::from(a) & mask
            }
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_addresses_are_matched() {
        let l = AllowList::parse("10.0.0.0/8, 192.168.1.7, ::1").unwrap();
        assert!(l.allows("10.20.30.40".parse().unwrap()));
        assert!(l.allows("192.168.1.7".parse().unwrap()));
        assert!(!l.allows("192.168.1.8".parse().unwrap()));
        assert!(l.allows("::1".parse().unwrap()));
        assert!(!l.allows("11.0.0.1".parse().unwrap()));
        assert!(AllowList::loopback().allows("127.0.0.1".parse().unwrap()));
        assert!(AllowList::loopback().allows("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!AllowList::loopback().allows("10.0.0.1".parse().unwrap()));
        for bad in ["", "10.0.0.0/33", "host.example", "1.2.3.4/x"] {
            assert!(AllowList::parse(bad).is_err(), "{bad}");
        }
    }
}
