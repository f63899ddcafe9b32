"""Blueprints, by audience: public, auth (accounts), workspace (members), admin (staff)."""
