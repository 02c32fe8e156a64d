"""A member's notices in their data download (they are deleted with the account by the database)."""
from ..core.time import iso
from .services import notice_subject, notices_for


def on_member_export(_sender, *, member) -> dict:
    """The member's inbox, each notice's subject in the words the member reads now."""
    return {"notices": [{"kind": n.kind, "subject": notice_subject(n), "params": n.params, "link": n.link,
                         "created_at": iso(n.created_at), "read_at": iso(n.read_at) if n.read_at else None}
                        for n in notices_for(member.id, limit=None)]}
