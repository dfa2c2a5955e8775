"""The agent's desk state machine: every phase, the effects' order, and whole shifts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_console import desk as lc
from agent_console.desk import Desk, Phase
from agent_console.labels import desk_label
from agent_console.lifecycle import Lifecycle, allows

LC = Lifecycle(wrapup_reason="Nachbearbeitung", callback_reason="Rückruf")


def run(*events: lc.Event, desk: Desk | None = None) -> tuple[Desk, list[lc.Effect]]:
    """Apply events in order; returns the last desk and every effect, in order."""
    desk = desk or Desk()
    effects: list[lc.Effect] = []
    for event in events:
        desk, more = LC.step(desk, event)
        effects.extend(more)
    return desk, effects


def test_a_call_from_ring_to_wrapup_and_back() -> None:
    desk, effects = run(lc.CallOffered("c1"))
    assert (desk.phase, desk.call_id) == (Phase.RINGING, "c1")
    assert effects == [lc.PopCall("c1")]
    desk, effects = run(lc.CallOffered("c1", answered=True), desk=desk)
    assert desk.phase == Phase.ON_CALL and effects == []
    desk, effects = run(lc.CallEnded("c1", answered=True), desk=desk)
    assert desk.phase == Phase.WRAP_UP
    assert effects == [lc.CloseDialogs("c1"), lc.Pause("Nachbearbeitung"), lc.OpenWrapUp("c1")]
    desk, effects = run(lc.WrapUpSaved("c1"), desk=desk)
    assert desk == Desk(Phase.READY) and effects == [lc.Unpause()]


def test_hangup_pauses_before_the_leg_is_hung_up() -> None:
    desk, _ = run(lc.CallOffered("c1", answered=True))
    _, effects = run(lc.HangupPressed(), desk=desk)
    assert effects == [lc.Pause("Nachbearbeitung"), lc.Hangup("c1")]


def test_blind_transfer_and_hand_over_pause_first_attended_does_not() -> None:
    desk, _ = run(lc.CallOffered("c1", answered=True))
    _, blind = run(lc.TransferChosen("c1", "2002", attended=False), desk=desk)
    assert blind == [lc.Pause("Nachbearbeitung"), lc.Transfer("c1", "2002", False)]
    _, attended = run(lc.TransferChosen("c1", "2001", attended=True), desk=desk)
    assert attended == [lc.Transfer("c1", "2001", True)]
    consulting, _ = run(lc.ConsultChanged("c1", True), desk=desk)
    assert consulting.phase == Phase.CONSULTING
    _, hand_over = run(lc.ConsultFinished(hand_over=True), desk=consulting)
    assert hand_over == [lc.Pause("Nachbearbeitung"), lc.EndConsult("c1", True)]
    _, back = run(lc.ConsultFinished(hand_over=False), desk=consulting)
    assert back == [lc.EndConsult("c1", False)]
    _, refused = run(lc.HangupPressed(), desk=consulting)
    assert refused == [lc.Refused(lc.Refusal.CONSULTING)]
    returned, _ = run(lc.ConsultChanged("c1", False), desk=consulting)
    assert returned.phase == Phase.ON_CALL


def test_transfer_for_another_call_is_refused() -> None:
    desk, _ = run(lc.CallOffered("c2", answered=True))
    _, effects = run(lc.TransferChosen("c1", "2002", attended=False), desk=desk)
    assert effects == [lc.Refused(lc.Refusal.NO_CALL)]


def test_pause_with_reason_and_back() -> None:
    desk, effects = run(lc.PauseChosen("Schulung"))
    assert desk == Desk(Phase.PAUSED, pause_reason="Schulung")
    assert effects == [lc.Pause("Schulung")]
    assert desk_label(desk) == "Pause (Schulung)"
    assert desk_label(Desk(Phase.PAUSED, pause_reason="Pause")) == "Pause"  # not "Pause (Pause)"
    desk, effects = run(lc.ReadyChosen(), desk=desk)
    assert desk.phase == Phase.READY and effects == [lc.Unpause()]


def test_pause_pressed_during_a_call_holds_after_the_wrapup() -> None:
    desk, _ = run(lc.CallOffered("c1", answered=True), lc.PauseChosen("Mittag"))
    assert desk.phase == Phase.ON_CALL and desk.pause_after == "Mittag"
    assert desk_label(desk) == "Im Gespräch · danach Pause (Mittag)"
    desk, effects = run(lc.CallEnded("c1", True), lc.WrapUpSaved("c1"), desk=desk)
    assert desk == Desk(Phase.PAUSED, pause_reason="Mittag")
    assert effects[-1] == lc.Pause("Mittag") and lc.Unpause() not in effects


def test_pause_after_this_call_can_be_taken_back() -> None:
    desk, _ = run(lc.CallOffered("c1", True), lc.PauseChosen("Mittag"), lc.ReadyChosen())
    assert desk.pause_after == ""
    desk, effects = run(lc.CallEnded("c1", True), lc.WrapUpSaved("c1"), desk=desk)
    assert desk.phase == Phase.READY and effects[-1] == lc.Unpause()


def test_ringing_call_abandoned_goes_back_without_wrapup() -> None:
    desk, effects = run(lc.CallOffered("c1"), lc.CallEnded("c1", answered=False))
    assert desk == Desk(Phase.READY)
    assert effects == [lc.PopCall("c1"), lc.CloseDialogs("c1")]


def test_a_call_arriving_while_paused_keeps_the_pause_afterwards() -> None:
    desk, _ = run(lc.PauseChosen("Besprechung"), lc.CallOffered("c1", True))
    assert desk.phase == Phase.ON_CALL and desk.pause_after == "Besprechung"


def test_second_call_while_busy_is_shown_not_popped() -> None:
    desk, effects = run(lc.CallOffered("c1", True), lc.CallOffered("c2"))
    assert desk.call_id == "c1" and desk.others == ("c2",)
    assert effects == [lc.PopCall("c1")]
    desk, _ = run(lc.CallEnded("c1", True), desk=desk)
    assert desk.phase == Phase.WRAP_UP and desk.others == ("c2",)
    desk, _ = run(lc.CallEnded("c2", False), desk=desk)
    assert desk.others == ()


def test_callback_refused_while_busy_and_in_wrapup() -> None:
    chosen = lc.CallbackChosen("t1", "0234", "Frau Beispiel")
    desk, _ = run(lc.CallOffered("c1", True))
    assert run(chosen, desk=desk)[1] == [lc.Refused(lc.Refusal.BUSY)]
    assert not allows(desk, "call_back")
    desk, _ = run(lc.CallEnded("c1", True), desk=desk)
    assert run(chosen, desk=desk)[1] == [lc.Refused(lc.Refusal.WRAP_UP)]


def test_callback_is_a_call_with_its_own_wrapup() -> None:
    desk, effects = run(lc.CallbackChosen("t1", "0234", "Frau Beispiel"))
    assert desk.phase == Phase.CALLBACK_DIALLING and desk.ticket_id == "t1"
    assert effects == [lc.Pause("Rückruf"), lc.Originate("t1", "0234", "Frau Beispiel")]
    desk, effects = run(lc.CallbackConnected("cb1"), desk=desk)
    assert (desk.phase, desk.call_id) == (Phase.CALLBACK_ON_CALL, "cb1")
    assert effects == [lc.PopCall("cb1", "t1")]
    assert allows(desk, "hangup") and not allows(desk, "transfer")
    _, effects = run(lc.HangupPressed(), desk=desk)
    assert effects == [lc.Pause("Nachbearbeitung"), lc.Hangup("cb1")]
    desk, effects = run(lc.CallEnded("cb1", True), desk=desk)
    assert desk.phase == Phase.WRAP_UP and effects[-1] == lc.OpenWrapUp("cb1", "t1")
    desk, effects = run(lc.WrapUpSaved("cb1"), desk=desk)
    assert desk == Desk(Phase.READY) and effects == [lc.Unpause()]


def test_callback_from_a_pause_returns_to_it() -> None:
    desk, _ = run(lc.PauseChosen("Rückrufzeit"), lc.CallbackChosen("t1", "0234", ""))
    assert desk.pause_after == "Rückrufzeit"
    desk, effects = run(lc.CallbackFailed(), desk=desk)
    assert desk == Desk(Phase.PAUSED, pause_reason="Rückrufzeit")
    assert effects == [lc.Pause("Rückrufzeit")]


def test_pbx_pause_set_elsewhere_is_followed_when_idle_only() -> None:
    desk, effects = run(lc.PbxPauseChanged(True, "Technik"))
    assert desk == Desk(Phase.PAUSED, pause_reason="Technik") and effects == []
    desk, _ = run(lc.PbxPauseChanged(False), desk=desk)
    assert desk.phase == Phase.READY
    busy, _ = run(lc.CallOffered("c1", True), lc.CallEnded("c1", True))
    assert run(lc.PbxPauseChanged(False), desk=busy)[0] == busy  # still in wrap-up


def test_restored_wrapup_pauses_and_reopens() -> None:
    desk, effects = run(lc.WrapUpRestored("c9", "t3"))
    assert (desk.phase, desk.call_id, desk.ticket_id) == (Phase.WRAP_UP, "c9", "t3")
    assert effects == [lc.Pause("Nachbearbeitung"), lc.OpenWrapUp("c9", "t3")]


def test_keys_follow_the_phase() -> None:
    ready = Desk()
    assert not allows(ready, "hangup") and not allows(ready, "transfer")
    assert allows(ready, "call_back") and allows(ready, "focus_search")
    on_call, _ = run(lc.CallOffered("c1", True))
    assert allows(on_call, "transfer") and allows(on_call, "hangup")
    assert not allows(on_call, "complete_transfer")
    ringing, _ = run(lc.CallOffered("c1"))
    assert not allows(ringing, "hangup")


EVENTS = st.one_of(
    st.builds(lc.CallOffered, st.sampled_from(["c1", "c2", "c3"]), st.booleans()),
    st.builds(lc.ConsultChanged, st.sampled_from(["c1", "c2"]), st.booleans()),
    st.builds(lc.CallEnded, st.sampled_from(["c1", "c2", "c3", "cb"]), st.booleans()),
    st.builds(lc.WrapUpSaved, st.sampled_from(["c1", "c2", "cb"])),
    st.builds(lc.PauseChosen, st.sampled_from(["Pause", "Schulung"])),
    st.just(lc.ReadyChosen()),
    st.builds(lc.PbxPauseChanged, st.booleans(), st.sampled_from(["", "Technik"])),
    st.just(lc.HangupPressed()),
    st.builds(lc.CallbackChosen, st.just("t1"), st.just("0234"), st.just("")),
    st.builds(lc.CallbackConnected, st.just("cb")),
    st.just(lc.CallbackFailed()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENTS, max_size=40))
def test_invariants_over_any_sequence(events: list[lc.Event]) -> None:
    desk = Desk()
    for event in events:
        before = desk
        desk, effects = LC.step(desk, event)
        # a call is never popped while another one (or its wrap-up) holds the agent
        if before.busy:
            assert not any(isinstance(e, lc.PopCall) for e in effects) or (
                before.phase == Phase.CALLBACK_DIALLING
            )
        # nothing un-pauses while the agent is busy; a wrap-up always pauses first
        if desk.busy:
            assert lc.Unpause() not in effects
        if any(isinstance(e, lc.OpenWrapUp) for e in effects):
            assert effects.index(lc.Pause("Nachbearbeitung")) < len(effects) - 1
        # a hang-up is always preceded by the wrap-up pause
        for n, effect in enumerate(effects):
            if isinstance(effect, lc.Hangup):
                assert effects[n - 1] == lc.Pause("Nachbearbeitung")
        assert desk.busy == (desk.phase not in {Phase.READY, Phase.PAUSED})
        assert bool(desk.call_id) or desk.phase in {
            Phase.READY, Phase.PAUSED, Phase.CALLBACK_DIALLING}  # fmt: skip


def test_f12_makes_f4_hand_the_caller_to_the_survey() -> None:
    desk, _ = run(lc.CallOffered("c1", answered=True))
    survey, effects = run(lc.SurveyToggled(), desk=desk)
    assert survey.survey and effects == []
    _, ended = run(lc.HangupPressed(), desk=survey)
    assert ended == [lc.Pause("Nachbearbeitung"), lc.ToSurvey("c1")]  # the pause first
    plain, _ = run(lc.SurveyToggled(), desk=survey)
    assert not plain.survey
    _, hung_up = run(lc.HangupPressed(), desk=plain)
    assert hung_up == [lc.Pause("Nachbearbeitung"), lc.Hangup("c1")]


def test_the_survey_belongs_to_one_queue_call() -> None:
    for phase in (Phase.READY, Phase.RINGING, Phase.CONSULTING, Phase.WRAP_UP,
                  Phase.CALLBACK_ON_CALL):  # fmt: skip
        desk = Desk(phase, "c1")
        assert run(lc.SurveyToggled(), desk=desk) == (desk, [lc.Refused(lc.Refusal.NO_CALL)])
        assert run(lc.SurveyDue(), desk=desk) == (desk, [])
    desk, _ = run(lc.CallOffered("c1", answered=True), lc.SurveyDue())
    assert desk.survey
    wrapping, _ = run(lc.CallEnded("c1", answered=True), desk=desk)
    after, _ = run(lc.WrapUpSaved("c1"), desk=wrapping)
    assert not after.survey  # the next call starts without it
    next_call, _ = run(lc.CallOffered("c2", answered=True), desk=after)
    assert not next_call.survey and allows(next_call, "survey")
