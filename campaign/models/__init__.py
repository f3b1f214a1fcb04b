"""Database models, one module per part of the product.

Models hold data and nothing else: state changes go through the service
functions (a signature's through ``campaign.petitions.counters.transition``,
which keeps the counters right), and the caller commits. Everything is
importable from here: ``from campaign.models import Signature``.
"""

from .base import UTCDateTime, new_public_id, utcnow
from .deliveries import (
    Delivery,
    DeliveryChannel,
    DeliveryEmail,
    DeliveryMode,
    DeliveryPackage,
    GovernmentResponse,
    GovernmentTarget,
    Stance,
)
from .events import (
    ACTIVE_STATUSES,
    ERASED_REGISTRATION,
    Event,
    EventRegistration,
    EventReminder,
    EventTranslation,
    RegistrationStatus,
    ReminderKind,
)
from .files import FileKind, StoredFile, StoredFileChunk
from .jobs import JobLock, JobStatus, PackageJob
from .letters import SETTINGS_ID, LetterCoverText, OrganisationSettings
from .mail import OutboxMessage, OutboxStatus
from .moderation import Blocklist, BlocklistKind
from .news import GovernmentNews, GovernmentNewsRecipient, NewsEvent, NewsStatus
from .organisers import AuditEntry, Organiser, OrganiserRole, OrganiserSession, SignInThrottle
from .petitions import (
    CountryCount,
    NotableCategoryTranslation,
    NotablePortrait,
    NotableSignatory,
    NotableTranslation,
    Petition,
    PetitionState,
    PetitionTextVersion,
    PetitionTranslation,
)
from .publications import (
    Publication,
    PublicationCover,
    PublicationFile,
    PublicationStatus,
    PublicationTranslation,
)
from .receipts import ReceiptLeafChunk, ReceiptTree
from .signatures import (
    COUNTED,
    ERASED_VALUES,
    PUBLIC_LISTED_SQL,
    PUBLICLY_LISTED,
    DiscardedPosts,
    Lifecycle,
    Signature,
    SigningAllowance,
    Validity,
    is_counted,
)
from .updates import SupporterUpdate, SupporterUpdateTranslation, UpdateDelivery, UpdateStatus

__all__ = [
    "ACTIVE_STATUSES",
    "COUNTED",
    "ERASED_REGISTRATION",
    "ERASED_VALUES",
    "PUBLICLY_LISTED",
    "PUBLIC_LISTED_SQL",
    "SETTINGS_ID",
    "AuditEntry",
    "Blocklist",
    "BlocklistKind",
    "CountryCount",
    "Delivery",
    "DeliveryChannel",
    "DeliveryEmail",
    "DeliveryMode",
    "DeliveryPackage",
    "DiscardedPosts",
    "Event",
    "EventRegistration",
    "EventReminder",
    "EventTranslation",
    "FileKind",
    "GovernmentNews",
    "GovernmentNewsRecipient",
    "GovernmentResponse",
    "GovernmentTarget",
    "JobLock",
    "JobStatus",
    "LetterCoverText",
    "Lifecycle",
    "NewsEvent",
    "NewsStatus",
    "NotableCategoryTranslation",
    "NotablePortrait",
    "NotableSignatory",
    "NotableTranslation",
    "OrganisationSettings",
    "Organiser",
    "OrganiserRole",
    "OrganiserSession",
    "OutboxMessage",
    "OutboxStatus",
    "PackageJob",
    "Petition",
    "PetitionState",
    "PetitionTextVersion",
    "PetitionTranslation",
    "Publication",
    "PublicationCover",
    "PublicationFile",
    "PublicationStatus",
    "PublicationTranslation",
    "ReceiptLeafChunk",
    "ReceiptTree",
    "RegistrationStatus",
    "ReminderKind",
    "SignInThrottle",
    "Signature",
    "SigningAllowance",
    "Stance",
    "StoredFile",
    "StoredFileChunk",
    "SupporterUpdate",
    "SupporterUpdateTranslation",
    "UTCDateTime",
    "UpdateDelivery",
    "UpdateStatus",
    "Validity",
    "is_counted",
    "new_public_id",
    "utcnow",
]
