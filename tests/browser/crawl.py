"""Visit every page a person can reach by following links, as a browser at phone width.

A crawl starts from a few paths (a role's home page) and follows every same-site ``<a href>``
breadth first, so it finds what a user can actually reach rather than what the URL map says
exists. It never submits a form (so it cannot sign out, start a course or revoke anything) and
it is bounded twice: at most a few different URLs of one Flask endpoint (forty staff pages show
the same template forty times; ``caps`` allows more where each URL shows different content, as a
course's modules do) and at most ``limit`` pages in all.
"""
from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

PHONE = {"width": 390, "height": 844}

# Elements that stick out past the right edge of the screen, outermost first: the reason the
# page is wider than the screen. Those inside a scrolling region are not counted (they scroll
# inside it and do not widen the page).
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const insideScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
    return false;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map((c) => '.' + c).join('') + ' (' + Math.round(el.getBoundingClientRect().right) + 'px)';
  const culprits = [...document.body.querySelectorAll('*')].filter((el) => sticksOut(el) && !insideScroller(el)
    && !(el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)));
  return culprits.length ? culprits.slice(0, 5).map(describe)
    : ['the document is ' + document.documentElement.scrollWidth + 'px wide'];
}"""

_LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map((a) => a.href)"


@dataclass
class VisitedPage:
    path: str  # where the browser ended up, after any redirect
    endpoint: str
    requested: str  # the endpoint of the link followed (differs after a redirect)
    status: int
    html: str  # as the server sent it, before any script ran
    overflow: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)


class Crawler:
    """Follows links on one live server.

    :param skip: endpoints never to open (downloads).
    :param caps: how many URLs of an endpoint to visit, by endpoint prefix (the longest matching
        prefix wins; ``""`` is the default).
    """

    def __init__(self, app, base_url: str, *, skip: frozenset[str], caps: dict[str, int], limit: int = 200):
        self._adapter = app.url_map.bind(urlsplit(base_url).netloc)
        self._origin = base_url.rstrip("/")
        self._skip = skip
        self._caps = caps
        self._limit = limit

    def _cap(self, endpoint: str) -> int:
        return self._caps[max((p for p in self._caps if endpoint.startswith(p)), key=len)]

    def endpoint(self, path: str) -> str | None:
        """The Flask endpoint a path and query would reach with GET, or None (a 404)."""
        parts = urlsplit(path)
        try:
            endpoint, _ = self._adapter.match(parts.path, method="GET", query_args=parts.query)
        except RequestRedirect as redirect:
            return self.endpoint(redirect.new_url.replace(self._origin, "", 1))
        except HTTPException:
            return None
        return endpoint

    def _local(self, href: str) -> str | None:
        if not href.startswith(self._origin + "/"):
            return None  # another site, mailto: or tel:
        parts = urlsplit(href)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def crawl(self, page, start: list[str], *, check=None) -> list[VisitedPage]:
        """Visit ``start`` and every page linked from them, within the bounds.

        :param check: called with (page, VisitedPage) after each visit, for checks that need the
            live page (axe-core).
        """
        queue = deque(start)
        seen = set(start)
        per_endpoint: Counter[str] = Counter()
        visited: list[VisitedPage] = []
        while queue and len(visited) < self._limit:
            path = queue.popleft()
            requested = self.endpoint(path) or "(not found)"
            if requested in self._skip or per_endpoint[requested] >= self._cap(requested):
                continue
            response = page.goto(path)
            final = self._local(page.url) or path
            seen.add(final)
            endpoint = self.endpoint(final) or "(not found)"
            per_endpoint[requested] += 1
            result = VisitedPage(path=final, endpoint=endpoint, requested=requested, status=response.status,
                                 html=response.text(), overflow=page.evaluate(_OVERFLOW_JS))
            if check is not None:
                check(page, result)
            visited.append(result)
            for href in page.evaluate(_LINKS_JS):
                local = self._local(href.split("#", 1)[0])
                if local is not None and local not in seen:
                    seen.add(local)
                    queue.append(local)
        # Stopping at the limit with pages still to see would leave them silently unchecked.
        left = [p for p in queue if (e := self.endpoint(p) or "(not found)") not in self._skip
                and per_endpoint[e] < self._cap(e)]
        assert not left, f"the crawl stopped at {self._limit} pages with {len(left)} left, such as {left[:3]}"
        return visited
