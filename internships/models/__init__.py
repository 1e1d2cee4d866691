from .agreements import (
    Agreement,
    AgreementKind,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    GenerationBatch,
    SignatureParty,
    VersionStatus,
)
from .placements import Internship, InternshipStatus
from .preparation import (
    Attendance,
    AttendanceStatus,
    EventKind,
    LogisticsItem,
    LogisticsKind,
    LogisticsStatus,
    ProgramEvent,
)

__all__ = [
    "Agreement", "AgreementKind", "AgreementSignature", "AgreementTemplate", "AgreementVersion", "Attendance",
    "AttendanceStatus", "EventKind", "GenerationBatch", "Internship", "InternshipStatus", "LogisticsItem",
    "LogisticsKind", "LogisticsStatus", "ProgramEvent", "SignatureParty", "VersionStatus",
]  # fmt: skip
