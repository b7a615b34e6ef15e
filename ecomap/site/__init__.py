"""The site: the app above the domain apps that composes them (Today, demo, admin, backup)."""
