"""Configuration: defaults, then instance/config.py, then EW_* environment variables."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance path
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SEARCH_INDEX_DIR = None  # filled in from the instance path
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ["nl", "en"]
    PER_PAGE = 20
    MAX_PER_PAGE = 100
    # ETags and the menus of cities and wijken rest on a data version read from the database at most
    # once per this many seconds per process: a change may take that long to show. 0 = every request.
    DATA_VERSION_MAX_AGE = 1.0
    # Place pages and list pages for visitors without a session are kept whole per process, keyed by
    # URL, language, data version (and search index) and minute; this many characters at most. 0 = off.
    PAGE_CACHE_BYTES = 32 * 1024 * 1024
    COUNTER_FLUSH_SECONDS = 10  # page views and route taps are written together at most this often
    MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    MAP_TILE_ATTRIBUTION = "&copy; OpenStreetMap-bijdragers"
    NEAR_RADIUS_KM = 15  # "Dichtbij mij" lists places within this distance, nearest first
    MAP_CLUSTER_ABOVE = 2000  # more places than this in a map view come as clusters counted on the server
    MAP_LIST_PER_PAGE = 50  # places per page in the list beside an area map
    GEOCODER_URL = "https://nominatim.openstreetmap.org"
    GEOCODER_USER_AGENT = "Ervaringswijzer/0.1 (sociale kaart)"
    GEOCODER_TIMEOUT = 5
    GEOCODER_MIN_DELAY = 1.0  # seconds between requests of the whole application; public Nominatim allows 1/s
    GEOCODER_MAX_WAIT = 10.0  # seconds a request waits for its turn before the place stays "pending"
    GEOCODER_LIMIT_STORAGE_URI = ""  # redis://… to keep the turn in Redis; default RATELIMIT_STORAGE_URI, else the database
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    # Secure cookies: always when SESSION_COOKIE_SECURE is true, and on any request that arrived
    # over https (security.py). Behind a proxy, TRUST_PROXY_HEADERS = number of proxies.
    SESSION_COOKIE_SECURE = False
    TRUST_PROXY_HEADERS = 0
    # Rate limits (Flask-Limiter syntax); storage is RATELIMIT_STORAGE_URI (memory:// or redis://).
    RATELIMIT_LOGIN = "10 per 5 minutes"
    RATELIMIT_REGISTER = "5 per hour"
    RATELIMIT_REVIEW = "20 per hour"
    RATELIMIT_REPORT = "30 per hour"
    RATELIMIT_SEARCH = "120 per minute"
    RATELIMIT_API = "600 per minute"  # every /api/v1 endpoint together, per address (a map pans with a few a second)
    # Reviews and moderation: "post" publishes at once (reportable), "pre" holds every review.
    REVIEW_MODERATION_MODE = "post"
    REVIEW_PREMODERATION_DAYS = 2  # members younger than this wait for a moderator (trusted roles do not)
    REVIEW_TEXT_MIN = 20
    REVIEW_TEXT_MAX = 2000
    REVIEW_CRISIS_WORDS_FILE = None  # a text file, one word or phrase a line; None = the built-in Dutch list
    REVIEW_RANKING_PRIOR_WEIGHT = 5
    PLACE_CONFIRMATIONS_NEEDED = 2
    # Mail (Flask-Mailman). No MAIL_SERVER: mails go to the log and to MAIL_FILE_PATH (instance/mail).
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Ervaringswijzer <noreply@ervaringswijzer.invalid>"
    MAIL_TIMEOUT = 10  # seconds per SMTP conversation
    MAIL_BACKEND = None  # filled in: "smtp" with a MAIL_SERVER, else "file"
    MAIL_FILE_PATH = None  # filled in from the instance path
    MAIL_SEND_AFTER_COMMIT = True  # False: only `flask mail catch-up` (cron) sends
    MAIL_MAX_ATTEMPTS = 30  # then the mail is kept as "failed" until `flask mail catch-up --retry-failed`
    MAIL_KEEP_SENT_DAYS = 7  # sent mails are removed from the queue after this many days
    # Links in mails: https://ervaringswijzer.example. Empty: the address of the request (or 127.0.0.1:5000).
    PUBLIC_URL = ""
    PASSWORD_RESET_MINUTES = 30
    PASSWORD_RESET_ANSWER_SECONDS = 0.3  # "send me a link" answers no faster than this, known pseudonym or not
    RATELIMIT_PASSWORD_RESET = "5 per 15 minutes"
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Imports (/beheer/import, import-places): the largest file or source, how long a source may take,
    # and the only hosts a URL may be fetched from (comma-separated; empty = no URLs at all).
    # IMPORT_ALLOWED_NETWORKS lets an admin allow an internal network (CIDR, comma-separated).
    IMPORT_MAX_BYTES = 20_000_000
    IMPORT_TIMEOUT = 20
    IMPORT_ALLOWED_HOSTS = ""
    IMPORT_ALLOWED_NETWORKS = ""
    SEND_FILE_MAX_AGE_DEFAULT = 3600


def default_instance_path() -> str:
    """EW_INSTANCE_PATH moves the instance folder; by default it is instance/ at the project root."""
    return os.environ.get("EW_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")


def load_config(app, test_config=None) -> None:
    """Apply defaults, then instance/config.py, then EW_* environment, then test_config."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="EW")
    if test_config:
        app.config.from_mapping(test_config)
    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'ervaringswijzer.sqlite'}"
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    if not app.config.get("MAIL_FILE_PATH"):
        app.config["MAIL_FILE_PATH"] = str(instance / "mail")
    if not app.config.get("MAIL_BACKEND"):
        app.config["MAIL_BACKEND"] = "smtp" if app.config.get("MAIL_SERVER") else "file"
    if app.config["SECRET_KEY"] == Defaults.SECRET_KEY and not (app.debug or app.testing):
        app.config["SECRET_KEY"] = _instance_secret(instance)


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so a fresh install is never left with the dev key."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = os.urandom(32).hex()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
