"""The console's municipality and language keys (Ctrl+G, Ctrl+L) and the article's version.

Whose call it is decides which version of an article the agent reads (the KB's
`article_for`), which services the search ranks first and which offices a transfer
offers; without a call, the municipality the agent chose last (else the home one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_console.origin import EASY, CallPlace, language_name
from agent_console.screens.municipality import MunicipalityDialog
from agent_console.screens.session import CallSession
from agent_console.services import Services
from agent_console.widgets.article_view import ArticleView, Version
from agent_console.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


class PlaceActions(_Base):
    """Mixed into ConsoleScreen: the call's municipality and the caller's language."""

    services: Services
    session: CallSession | None
    wrapping: CallSession | None
    browse_place: CallPlace | None

    def current_place(self) -> CallPlace:
        """The call's place (also during its wrap-up), else the agent's or the home one."""
        session = self.session or self.wrapping
        if session is not None:
            return session.place
        if self.browse_place is not None:
            return self.browse_place
        home = self.services.kb.home_municipality
        return CallPlace(home, False, pbx=home)

    def version_of(self, article_id: str) -> Version:
        """Whose version of the article is shown and which fields are its own."""
        kb = self.services.kb
        municipality = self.current_place().municipality
        place = kb.municipalities.get(municipality or "")
        if place is None or place.home:
            return Version()
        return Version(place.name, kb.local_fields(article_id, municipality))

    def show_article(self, article_id: str) -> bool:
        """Render the current municipality's version of an article; False when it has none."""
        kb = self.services.kb
        article = kb.article_for(article_id, self.current_place().municipality)
        if article is None:
            return False
        view = self.query_one("#article", ArticleView)
        view.show(
            article, kb.office_for(article), self.services.clock(), self.version_of(article.id)
        )
        return True

    def action_municipality(self) -> None:
        """Ctrl+G: choose whose call this is (searchable); the choice wins over the PBX's."""
        municipalities = list(self.services.kb.municipalities.values())
        if not municipalities:
            self.notify("Die Wissensdatenbank kennt keine Gemeinden.", severity="warning")
            return
        session = self.session
        call_id = session.call_id if session is not None else ""
        dialog = MunicipalityDialog(municipalities, self.current_place().municipality, call_id)
        self.app.push_screen(dialog, lambda chosen: self._municipality_chosen(call_id, chosen))

    def _municipality_chosen(self, call_id: str, chosen: str | None) -> None:
        if chosen is None:
            return
        session = self.session
        if call_id and (session is None or session.call_id != call_id):
            return  # that call is gone; the choice concerned it only
        if session is not None:
            session.place = session.place.with_municipality(chosen)
        else:
            self.browse_place = self.current_place().with_municipality(chosen)
        place = self.services.kb.municipalities.get(chosen)
        self.notify(f"Gemeinde: {place.name if place else chosen}")
        self.place_changed()

    def place_changed(self) -> None:
        """Search and the open article follow the new municipality; the call bar shows it."""
        view = self.query_one("#article", ArticleView)
        if view.article_id is not None and not self.show_article(view.article_id):
            view.clear("Diesen Dienst gibt es in der gewählten Gemeinde nicht.")
        self.start_search(self.query_one("#search", SearchBox).value)  # for this municipality
        self.refresh_bar()
        self.refresh_bindings()

    def action_short_answer(self) -> None:
        """Ctrl+L: the short answer in Leichte Sprache, the caller's language, the others."""
        view = self.query_one("#article", ArticleView)
        if view.article_id is None:
            self.notify("Erst einen Artikel öffnen.", severity="warning")
            return
        shown = view.next_answer(self.current_place().language)
        if shown is None:
            self.notify("Diese Kurzantwort gibt es nur auf Deutsch.", severity="warning")
        elif shown == EASY:
            self.notify("Kurzantwort in Leichter Sprache.")
        else:
            self.notify(f"Kurzantwort: {language_name(shown)}.")

    if TYPE_CHECKING:  # provided by the screen

        def refresh_bar(self) -> None: ...

        def start_search(self, text: str) -> None: ...
