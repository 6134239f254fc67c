"""The staff roles. The groups and their permissions are created by migration
crisisunit/0002_roles; a change of a role's permissions is a new migration."""

SOCIAL_WORKER = "Social worker"
MEDICAL_STAFF = "Medical staff"
ADMINISTRATOR = "Administrator"
