"""Campaign checks and the alerts that report them: SMTP e-mail and a generic JSON webhook.

Checks (run by `campaign finish` over the merged coverage):
- `blocked`: keywords the sites answered with a block (named, per plan);
- `incomplete`: the campaign did not cover every planned page (blocked, failed, unreadable, cut off);
- `no_listings`: no listing at all where the previous campaign had at least
  `TISWATCH_ALERT_MIN_PREVIOUS_LISTINGS` (10): a site changed its pages, or a parser broke;
- `error_rate`: failed pages above `TISWATCH_ALERT_MAX_ERROR_RATE` (0.05) of the pages asked for;
- `worker_monitors`: Spidermon monitors that failed on the workers (`crawler.cluster.monitors`).

Channels (Scrapy settings; `-s NAME=VALUE` on the command line):
- e-mail: `TISWATCH_ALERT_EMAIL_TO` (comma-separated), `TISWATCH_ALERT_EMAIL_FROM`,
  `TISWATCH_ALERT_SMTP_HOST`, `TISWATCH_ALERT_SMTP_PORT` (25), `TISWATCH_ALERT_SMTP_USER` /
  `TISWATCH_ALERT_SMTP_PASSWORD`, `TISWATCH_ALERT_SMTP_STARTTLS` (false);
- webhook: `TISWATCH_ALERT_WEBHOOK_URL`: a POST of JSON with `text` (Slack, Teams workflows) and
  `content` (Discord) holding the message, plus `campaign`, `alerts` and `summary` for anything else.
A channel given half its settings (a recipient but no SMTP host) fails at start (`AlertConfigError`),
not silently at the end of a campaign.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


class AlertConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Alert:
    check: str
    message: str


@dataclass(frozen=True)
class AlertSettings:
    email_to: tuple[str, ...] = ()
    email_from: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    webhook_url: str = ""
    min_previous_listings: int = 10
    max_error_rate: float = 0.05

    @classmethod
    def from_settings(cls, settings: Any) -> AlertSettings:
        recipients = settings.get("TISWATCH_ALERT_EMAIL_TO") or ()
        if isinstance(recipients, str):
            recipients = [part.strip() for part in recipients.split(",") if part.strip()]
        alert = cls(
            email_to=tuple(recipients),
            email_from=settings.get("TISWATCH_ALERT_EMAIL_FROM") or "",
            smtp_host=settings.get("TISWATCH_ALERT_SMTP_HOST") or "",
            smtp_port=settings.getint("TISWATCH_ALERT_SMTP_PORT", 25),
            smtp_user=settings.get("TISWATCH_ALERT_SMTP_USER") or "",
            smtp_password=settings.get("TISWATCH_ALERT_SMTP_PASSWORD") or "",
            smtp_starttls=settings.getbool("TISWATCH_ALERT_SMTP_STARTTLS", False),
            webhook_url=settings.get("TISWATCH_ALERT_WEBHOOK_URL") or "",
            min_previous_listings=settings.getint("TISWATCH_ALERT_MIN_PREVIOUS_LISTINGS", 10),
            max_error_rate=settings.getfloat("TISWATCH_ALERT_MAX_ERROR_RATE", 0.05),
        )
        alert.check()
        return alert

    def check(self) -> None:
        email_parts = {
            "TISWATCH_ALERT_EMAIL_TO": bool(self.email_to),
            "TISWATCH_ALERT_EMAIL_FROM": bool(self.email_from),
            "TISWATCH_ALERT_SMTP_HOST": bool(self.smtp_host),
        }
        if any(email_parts.values()) and not all(email_parts.values()):
            missing = ", ".join(name for name, given in email_parts.items() if not given)
            raise AlertConfigError(f"e-mail alerts are half configured: set {missing} too")
        if self.webhook_url and urlsplit(self.webhook_url).scheme not in ("http", "https"):
            raise AlertConfigError(
                f"TISWATCH_ALERT_WEBHOOK_URL={self.webhook_url!r}: expected an http(s) URL"
            )
        if bool(self.smtp_user) != bool(self.smtp_password):
            raise AlertConfigError(
                "set both TISWATCH_ALERT_SMTP_USER and TISWATCH_ALERT_SMTP_PASSWORD, or neither"
            )


def campaign_alerts(
    summary: dict[str, Any], previous_listings: int | None, settings: AlertSettings
) -> list[Alert]:
    alerts = []
    blocked = [
        f"{plan}: {keyword}"
        for plan, crawl in (summary.get("crawls") or {}).items()
        for keyword, counts in (crawl.get("keywords") or {}).items()
        if counts.get("status") == "blocked"
    ]
    if blocked:
        alerts.append(Alert("blocked", f"{len(blocked)} keyword(s) blocked: {', '.join(blocked)}"))
    if summary.get("status") != "complete":
        gaps = {name: summary.get(name, 0) for name in ("blocked", "failed", "result_pages_unreadable")}
        detail = ", ".join(f"{name} {count}" for name, count in gaps.items() if count)
        alerts.append(
            Alert("incomplete", f"coverage {summary.get('status')}" + (f" ({detail})" if detail else ""))
        )
    listings = int((summary.get("history") or {}).get("listings") or 0)
    if (
        listings == 0
        and previous_listings is not None
        and previous_listings >= settings.min_previous_listings
    ):
        alerts.append(
            Alert("no_listings", f"no listings, where the previous campaign had {previous_listings}")
        )
    monitors_failed = int((summary.get("counts") or {}).get("monitors_failed") or 0)
    if monitors_failed:
        alerts.append(
            Alert("worker_monitors", f"{monitors_failed} Spidermon monitor(s) failed on the workers")
        )
    fetched, failed = int(summary.get("pages_fetched") or 0), int(summary.get("failed") or 0)
    if fetched + failed and failed / (fetched + failed) > settings.max_error_rate:
        rate = failed / (fetched + failed)
        alerts.append(Alert("error_rate", f"{failed} of {fetched + failed} pages failed ({rate:.0%})"))
    return alerts


def alert_text(alerts: list[Alert], summary: dict[str, Any]) -> str:
    lines = [f"tiswatch campaign {summary.get('campaign')}: {summary.get('status', '?').upper()}"]
    lines += [f"- {alert.check}: {alert.message}" for alert in alerts]
    return "\n".join(lines)


def send_alerts(alerts: list[Alert], summary: dict[str, Any], settings: AlertSettings) -> list[str]:
    """Send the alerts on every configured channel; returns what was sent (`email`, `webhook`).
    A channel that fails is logged and left out: the campaign's export is written regardless."""
    if not alerts:
        return []
    text = alert_text(alerts, summary)
    sent = []
    if settings.email_to:
        try:
            send_email(settings, f"tiswatch: campaign {summary.get('campaign')} needs attention", text)
            sent.append("email")
        except (OSError, smtplib.SMTPException) as error:
            logger.error("tiswatch: alert e-mail to %s failed: %s", ", ".join(settings.email_to), error)
    if settings.webhook_url:
        payload = {
            "text": text,
            "content": text,
            "campaign": summary.get("campaign"),
            "status": summary.get("status"),
            "alerts": [{"check": alert.check, "message": alert.message} for alert in alerts],
        }
        try:
            post_webhook(settings.webhook_url, payload)
            sent.append("webhook")
        except OSError as error:
            logger.error("tiswatch: alert webhook %s failed: %s", settings.webhook_url, error)
    return sent


def send_email(settings: AlertSettings, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def post_webhook(url: str, payload: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # an http(s) URL: checked at start
        response.read()
