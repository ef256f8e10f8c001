"""Demo accounts (fictional people) for trying the tracker; loaded by `make run`, never by migrations."""

from accounts.models import Organisation, User

DEMO_PASSWORD = "roadmap-demo"

# email, full name, role, organisation (by short name or country code), focal point?
DEMO_PEOPLE = [
    ("admin@example.org", "Alex Admin (demo)", User.Role.ADMIN, "PS Centre", False),
    ("colead-wg1@example.org", "Dana Colead (demo)", User.Role.STAFF, "DK", False),
    ("member-wg1@example.org", "Mina Member (demo)", User.Role.STAFF, "NO", False),
    ("colead-wg4@example.org", "Ravi Colead (demo)", User.Role.STAFF, "IFRC", False),
    ("focal-kenya@example.org", "Amani Focal (demo)", User.Role.STAFF, "KE", True),
    ("focal-lebanon@example.org", "Rania Focal (demo)", User.Role.STAFF, "LB", True),
    ("focal-colombia@example.org", "Camila Focal (demo)", User.Role.STAFF, "CO", True),
    ("focal-senegal@example.org", "Awa Focal (demo)", User.Role.STAFF, "SN", True),
    ("reader@example.org", "Robin Reader (demo)", User.Role.READER, "ICRC", False),
]


def _organisation(key: str) -> Organisation | None:
    if len(key) == 2 and key.isupper():
        return Organisation.objects.national_societies().real().filter(country=key).first()
    return Organisation.objects.filter(short_name=key).first()


def load(stdout=None) -> int:
    """Create the demo people that are missing; existing accounts are left as they are."""
    created_count = 0
    for email, name, role, org_key, focal in DEMO_PEOPLE:
        if User.objects.filter(email=email).exists():
            continue
        is_admin = role == User.Role.ADMIN
        user = User(
            email=email,
            full_name=name,
            role=role,
            organisation=_organisation(org_key),
            is_focal_point=focal,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        user.set_password(DEMO_PASSWORD)
        user._change_reason = "demo account"
        user.save()
        created_count += 1
    if stdout:
        stdout.write(f"Demo accounts: {created_count} created.")
    return created_count
