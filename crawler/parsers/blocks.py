"""Recognise anti-bot answers, so a blocked page is counted as *blocked* and never as "no listings".

Shapes handled (see the captures of Shopee's answers in the project's test fixtures):
- Shopee's anti-crawler JSON: `{"error": 90309999, "action_type": 2, "redirect_to_error_page": true, …}`
  and the "soft" variant with numbered keys `{"3": 90309999, "error": 90309999, …}`;
- Lazada/Alibaba's traffic guard: the classic `/_____tmd_____/punish` slider page (`x5secdata`,
  `nc_1_n1z`); the current server-rendered "bixi" punish page, served with HTTP 200 in place of a
  product page (`<!--rgv587_flag:sm-->`, `window._config_ = {"action":"captcha", NCAPPKEY, …,
  "FORMACTION":"/_____tmd_____/verify/"}`, the `bixi.alicdn.com/punish/…` script); and mtop JSON
  `{"ret": ["FAIL_SYS_USER_VALIDATE", "RGV587_ERROR::SM::…"]}`; and what the guard answers an ajax
  call (the catalog JSON) with: `{"rgv587_flag": "sm", "url": "//…/_____tmd_____/punish?x5secdata=…"}`;
- Shopee's `/verify/traffic` and `/verify/captcha` pages, Cloudflare challenges, reCAPTCHA/hCaptcha
  and GeeTest walls;
- login walls (`login_wall`): Shopee's HTML login page served for an API call, a redirect to Shopee's
  `/buyer/login` or Lazada's `/user/login`. An expired session is no parser bug.
HTTP 403 and 429 are judged by the downloader middleware (they need retry/backoff policy, not parsing).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Shopee's anti-crawler error codes seen on logged-out API calls.
SHOPEE_BLOCK_CODES = frozenset({90309999})

# URL fragments of pages that only ever serve a challenge.
_CHALLENGE_URL_MARKERS = ("/_____tmd_____/", "/verify/traffic", "/verify/captcha", "/cdn-cgi/challenge")

# Login pages the marketplaces send a logged-out (or expired) session to instead of an answer:
# Shopee's `/buyer/login?next=…`, Lazada's `member.lazada.co.th/user/login?redirect=…`.
_LOGIN_URL_MARKERS = ("/buyer/login", "/user/login")
# A login page served in place of an answer (Shopee answers an API call with its HTML login page,
# status 200): its title *starts* with the login words, where a product title merely containing
# "login" (a router's admin login, say) does not.
_LOGIN_TITLE = re.compile(r"<title[^>]*>\s*(เข้าสู่ระบบ|log\s?in\b|sign\s?in\b)", re.IGNORECASE)

# Markup that only challenge pages carry (element ids, script names), checked in the page head and the
# first part of the body. Words such as "captcha" alone are not enough: a product description may say it.
_CHALLENGE_MARKUP = (
    ("x5secdata", "lazada_slider"),
    ('id="nc_1_n1z"', "lazada_slider"),
    ("_____tmd_____/punish", "lazada_slider"),
    ("nocaptcha", "lazada_slider"),
    # The bixi punish page has none of the above: it draws the slider from a script.
    ("rgv587_flag", "lazada_slider"),
    ("_____tmd_____/verify", "lazada_slider"),
    ("bixi.alicdn.com/punish", "lazada_slider"),
    ("ncappkey", "lazada_slider"),
    ("cf-chl-", "cloudflare_challenge"),
    ("challenge-platform", "cloudflare_challenge"),
    ("g-recaptcha", "captcha"),
    ("h-captcha", "captcha"),
    ("geetest", "captcha"),
)
_CHALLENGE_TITLES = re.compile(
    r"<title[^>]*>\s*[^<]*(captcha|just a moment|attention required|access denied|security check|"
    r"verify you are human|ยืนยันว่าคุณไม่ใช่โปรแกรม)",
    re.IGNORECASE,
)
# The bixi page's own configuration object: `window._config_ = {"action":"captcha", …}`.
_PUNISH_CONFIG = re.compile(r'window\._config_\s*=\s*\{[^<]{0,2000}?"action"\s*:\s*"captcha"', re.IGNORECASE)
_MTOP_BLOCK_MARKERS = ("FAIL_SYS_USER_VALIDATE", "RGV587_ERROR")
# Keys or values every JSON block answer carries one of; an answer with none is not parsed here.
_JSON_BLOCK_HINTS = ('"error"', '"ret"', "rgv587_flag", "_____tmd_____")
_SNIFF_CHARS = 20_000


@dataclass(frozen=True)
class Block:
    """Why an answer is a block, for stats (`kind`) and for the log line (`detail`)."""

    kind: str
    detail: str


def login_wall_url(url: str) -> Block | None:
    """A `login_wall` block when `url` is a marketplace login page (where a redirect ended up)."""
    path = url.lower().split("?", 1)[0]
    for marker in _LOGIN_URL_MARKERS:
        if marker in path:
            return Block("login_wall", f"sent to the login page ({marker}): session expired or logged out")
    return None


def detect_block(url: str, text: str) -> Block | None:
    """The block an answer represents, or None for an ordinary page (however empty or broken)."""
    lowered_url = url.lower()
    for marker in _CHALLENGE_URL_MARKERS:
        if marker in lowered_url:
            return Block("challenge_page", f"redirected to challenge URL ({marker})")
    login = login_wall_url(url)
    if login is not None:
        return login
    head = text[:_SNIFF_CHARS]
    stripped = head.lstrip()
    if stripped.startswith("{"):
        return _detect_json_block(text)
    lowered = head.lower()
    for marker, kind in _CHALLENGE_MARKUP:
        if marker in lowered:
            return Block(kind, f"challenge page ({marker})")
    if _PUNISH_CONFIG.search(head):
        return Block("lazada_slider", 'challenge page (window._config_ "action":"captcha")')
    title = _CHALLENGE_TITLES.search(head)
    if title:
        return Block("captcha", f"challenge page titled {title.group(1)!r}")
    login_title = _LOGIN_TITLE.search(head)
    if login_title:
        return Block("login_wall", f"login page titled {login_title.group(1)!r}")
    return None


def _detect_json_block(text: str) -> Block | None:
    if not any(marker in text for marker in _JSON_BLOCK_HINTS):
        return None  # cheap exit for ordinary API pages, which are most of a crawl
    try:
        data = json.loads(text)
    except ValueError:
        return None  # broken JSON is a parse error, not a block
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if isinstance(error, int) and error in SHOPEE_BLOCK_CODES:
        return Block("shopee_90309999", f"Shopee anti-bot answer error={error}")
    if data.get("redirect_to_error_page") is True and error:
        return Block("shopee_error_page", f"Shopee error page answer error={error!r}")
    ret = data.get("ret")
    if isinstance(ret, list) and any(
        isinstance(entry, str) and entry.startswith(_MTOP_BLOCK_MARKERS) for entry in ret
    ):
        return Block("lazada_mtop_block", f"Lazada traffic guard {ret[0]!r}")
    redirect = data.get("url")
    if data.get("rgv587_flag") or (isinstance(redirect, str) and "_____tmd_____" in redirect):
        # The guard's answer to an XHR: the browser would be sent to the slider page at `url`.
        return Block("lazada_rgv587", f"Lazada traffic guard answer (rgv587_flag, to {str(redirect)[:80]!r})")
    return None
