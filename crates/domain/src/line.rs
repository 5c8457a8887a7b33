//! An eSIM line's lifecycle: `assigned → active → grace → suspended → recycled`.

use serde::{Deserialize, Serialize};

/// Where a line is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// A profile is assigned; no top-up has made it active yet.
    Assigned,
    /// In use: all services allowed.
    Active,
    /// Validity ended: incoming only, a qualifying top-up revives it.
    Grace,
    /// Grace ended: nothing works, a qualifying top-up still revives it.
    Suspended,
    /// The number went back to the pool; final.
    Recycled,
}

impl LineState {
    /// Every state.
    pub const ALL: [LineState; 5] =
        [LineState::Assigned, LineState::Active, LineState::Grace, LineState::Suspended, LineState::Recycled];

    /// The state's stable name, as stored and as shown in the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            LineState::Assigned => "assigned",
            LineState::Active => "active",
            LineState::Grace => "grace",
            LineState::Suspended => "suspended",
            LineState::Recycled => "recycled",
        }
    }

    /// Parses a stored state name.
    pub fn parse(s: &str) -> Option<LineState> {
        LineState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the lifecycle allows moving from `self` to `next`.
    pub fn can_become(&self, next: LineState) -> bool {
        use LineState::*;
        matches!(
            (self, next),
            (Assigned, Active)
                | (Active, Grace)
                | (Grace, Suspended)
                | (Grace, Active)
                | (Suspended, Active)
                | (Suspended, Recycled)
                | (Active, Active)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::LineState::*;
    use super::*;

    #[test]
    fn an_unkept_line_walks_to_recycled_and_never_back() {
        assert!(Assigned.can_become(Active));
        assert!(Active.can_become(Grace));
        assert!(Grace.can_become(Suspended));
        assert!(Suspended.can_become(Recycled));
        for s in [Assigned, Active, Grace, Suspended, Recycled] {
            assert!(!Recycled.can_become(s));
        }
    }

    #[test]
    fn a_qualifying_top_up_revives_grace_and_suspended() {
        assert!(Grace.can_become(Active));
        assert!(Suspended.can_become(Active));
        assert!(!Assigned.can_become(Grace));
    }

    #[test]
    fn names_round_trip() {
        for s in [Assigned, Active, Grace, Suspended, Recycled] {
            assert_eq!(LineState::parse(s.as_str()), Some(s));
        }
        assert_eq!(LineState::parse("gone"), None);
    }
}
