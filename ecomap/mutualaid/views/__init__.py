"""Mutual support's pages, by topic: the agency's (fellowships, meetings, feeds, contacts) and a
client's (profile, matching, referrals, follow-ups, alerts)."""
