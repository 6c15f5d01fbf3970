# EDA Playground: English catalogue. Every message here has a twin in zh-CN.ftl with the same
# placeables (a test checks). Scenario data (names, event types) is never in a catalogue.

## Page and masthead
app-title = EDA Playground
skip-links = Skip links
skip-to-diagram = Skip to the diagram
skip-to-log = Skip to the event log
examples-button = Examples
lessons-button = Lessons
shortcuts-button = Keyboard shortcuts (?)
language-label = Language
example-picker = Example scenario
example-choose = Choose an example…
untitled-scenario = Untitled scenario
announcements = Announcements
dismiss = Dismiss
open-repaired = Open a repaired copy
repaired-offer = A repaired copy can be opened instead (the repair { $changes }).
event-log = Event log
event-log-panel = Event log panel

## Keyboard shortcuts
shortcuts-heading = Keyboard shortcuts
shortcuts-close = Close
shortcut-space = Play or pause
shortcut-right = Step: process one simulation event
shortcut-left = Step back: undo one event
shortcut-speed = Faster / slower
shortcut-present = Present: the diagram full-screen, large (again, or Esc, to leave)
shortcut-clicker-keys = Presenting: Page Down / Page Up
shortcut-clicker = Step forward / back (a clicker's buttons)
shortcut-help = Show this list
shortcut-escape = Close it, or cancel a question
shortcut-timeline-keys = On the timeline: ← / →
shortcut-timeline = One event back / forward (with Shift: a tenth of the run)
shortcut-zoom-keys = In the diagram: Z / Shift+Z / 0
shortcut-zoom = Zoom in / out / fit (Ctrl+wheel and pinch too)
shortcut-pan-keys = On the diagram: arrow keys
shortcut-pan = Pan it
shortcut-walk-keys = On a diagram node: arrow keys
shortcut-walk = Go to the next node that way
shortcut-link-keys = On a diagram node: L, then Enter on another
shortcut-link = Link the two
shortcut-move-keys = On a diagram node: Alt + arrow keys
shortcut-move = Move the node
shortcut-open-keys = On a diagram node: Enter
shortcut-open = Open its properties (crash, restart, delete…)

## Toolbar
playback = Playback
play = Play
pause = Pause
play-title = Play (Space)
pause-title = Pause (Space)
step-back = Step back
step-back-title = Undo the last simulation event (←)
step = Step
step-title = Process one simulation event (→)
reset = Reset
reset-title = Back to time 0
present = Present
present-title = The diagram full-screen with large text; Page Down and Page Up step (P)
exit-presentation = Exit presentation
exit-presentation-title = Leave presentation mode (Esc)
speed = Speed
virtual-clock = Virtual clock
timeline = Timeline
jump-to-time = Jump to time
jump-placeholder = e.g. 1.5s
jump = Jump
# (The same words for one event: the page has always said "1 events processed", and tests read it.)
events-processed = { $count } events processed
next-event-at = next event at { $time }
nothing-scheduled = nothing scheduled
trace = trace
slow-motion = slow motion: { $speed } so the message on its way can be seen
running-behind = running as fast as this machine allows
jump-in-progress = Jump in progress
jumping-to = Jumping to { $time }: { $percent } %
stop-jumping = Stop jumping

## Share bar, gallery, restore
share-and-files = Share and files
copy-link = Copy link
export-scenario = Export scenario
import-scenario = Import scenario
compare-with-variant = Compare with a variant
compare-with-variant-title = Make variant B of this scenario and run both with the same seed
share-link = Share link
gallery-heading = Start from an example
close-gallery = Close gallery
open-example = Open { $title }
open = Open
restore-heading = Restore your last scenario?
restore-text = You were working on { $title } ({ $entities ->
    [one] { $entities } entity
   *[other] { $entities } entities
}) when you last left.
restore-untitled = an untitled scenario
restore-repaired = The saved copy no longer loads as it is: restoring opens a repaired copy (the repair { $changes }). The saved copy stays as it was until you change the scenario.
restore = Restore
restore-no = No, thanks

## Built-in examples (by id; the scenario files themselves are unchanged)
pattern-event-bus = Event bus
pattern-topics = Broker: topics
pattern-queues = Broker: queues
pattern-guarantees = Broker: guarantees
pattern-partition = Faults: partition
pattern-request-response = Request-response
pattern-discovery = Service discovery
pattern-event-sourcing = Event sourcing
pattern-all = All five together
preset-order-events-sms = Order events → SMS
preset-order-events-sms-summary = OrderCreated, OrderPaid and OrderShipped are published one second apart on an event bus. An SMS listener subscribed to their parent type OrderStateChanged receives all three.
preset-topics = Order status over a broker
preset-topics-summary = Order status changes go to topic order-topic; group order-system-group reads from the earliest offset and texts when an order is paid (status 1). A member crashes and the other takes over its partitions.
preset-queues = Work queue with a dead-letter queue
preset-queues-summary = A topic exchange routes jobs to a queue shared by two workers; failed jobs are retried three times, then parked. One worker crashes and its unacknowledged jobs go to the other.
preset-delivery-guarantees = At-most, at-least and exactly once
preset-delivery-guarantees-summary = The same orders reach three billing consumers over links that lose, double and reorder, and all three crash at 10 s. Watch each total against what its queue accepted: at-most-once comes up short, at-least-once counts some orders twice, the idempotent consumer is exact.
preset-producer-acks = Producer acks and leader failover
preset-producer-acks-summary = Three producers send the same orders to replicated topics over a lossy link, and the partition leaders fail over three times. acks leader loses acknowledged orders, acks all with retries writes some twice, the idempotent producer is exact: watch each reader's total against what was written.
preset-dual-write-outbox = Dual write against the outbox
preset-dual-write-outbox-summary = Three order services crash at the worst moment. Writing, then publishing loses events; publishing, then writing invents them; the transactional outbox loses none and publishes some twice, which an idempotent consumer keyed on the event id catches. Compare each service's written orders with what billing handled.
preset-exactly-once-transactions = Exactly once with transactions
preset-exactly-once-transactions-summary = Two stream processors copy payments to a ledger topic and both crash twice. The at-least-once one writes some payments again; the transactional one aborts and writes them again too, but a reader that reads committed records skips the aborted copies. Compare the three auditors' totals.
preset-network-partition = A network partition
preset-network-partition-summary = At 5 s a group member and a payment provider are cut off from everyone else until 12 s, without crashing. The group declares the member dead and rebalances (records processed twice), the registry lets the provider's entry expire (calls fail with Name not found); when the network heals both come back.
preset-request-reply = Shop checkout
preset-request-reply-summary = POST /orders returns an order id and a code the user confirms within 30 s. Waves of shoppers arrive until the order service saturates: queues fill, response times climb, 503s appear.
preset-service-discovery = Service discovery
preset-service-discovery-summary = Providers foo and bar register echo at a registry; a client finds and calls both, and a lookup of baz fails with "Name not found". Then the registry crashes and forgets them.
preset-event-sourcing = Event sourcing: a user profile
preset-event-sourcing-summary = A user profile is edited over several days as events in a stream, with snapshots and a projection. Replay it to any day to see it as it was, field by field.
preset-order-system = Order system: all five together
preset-order-system-summary = Shoppers call an order service; outcomes are appended to an event store that publishes them on a bus, paid orders go to a topic, and payment is found through a registry that crashes.

preset-order-events-sms-name = Order events → SMS
preset-topics-name = Order status over a broker
preset-queues-name = Work queue with retries and a dead-letter queue
preset-delivery-guarantees-name = At-most, at-least and exactly once under the same faults
preset-producer-acks-name = Producer acks, retries and the idempotent producer through leader failovers
preset-dual-write-outbox-name = Dual write against the transactional outbox
preset-exactly-once-transactions-name = Exactly-once read-process-write with Kafka transactions
preset-network-partition-name = A network partition during a rebalance and a registry heartbeat
preset-request-reply-name = Shop checkout under a load ramp
preset-service-discovery-name = Service discovery
preset-event-sourcing-name = Event sourcing: a user profile
preset-order-system-name = Order system: all five patterns together

## Lessons
lessons-heading = Guided lessons
open-lesson-file = Open a lesson file
close-lessons = Close lessons
lesson-steps = { $steps ->
    [one] { $steps } step
   *[other] { $steps } steps
}
lesson-done = ✓ Done · { $steps ->
    [one] { $steps } step
   *[other] { $steps } steps
}
lesson-progress = { $done } of { $steps } steps done
lesson-start = Start
lesson-continue = Continue
lesson-again = Again
lesson-action = { $verb } lesson: { $title }
lesson-kicker = Lesson · { $title }
lesson-step-heading = Step { $step } of { $steps }: { $title }
lesson-steps-label = Steps
lesson-step-label = Step { $step }: { $title }
lesson-step-done-label = Step { $step }: { $title } (done)
your-task = Your task:
goal = Goal
goal-reached = ✓ Goal reached
goal-not-yet = Not yet — the goal:
goal-holds = Holds:
goal-does-not-hold = Does not hold yet:
hints = Hints
lesson-complete = ✓ Lesson complete: every step's goal was reached in this browser.
check-goal = Check goal
no-hints = No hints
hint-left = Hint ({ $left } left)
show-me = Show me
previous-step = Previous step
next-step = Next step
all-lessons = All lessons
copy-step-link = Copy step link
save-lesson-file = Save lesson file
leave-lesson = Leave lesson
presenting-goal-reached = ✓ Goal reached
presenting-not-yet = · Not yet

## A/B comparison
compare-heading = A/B comparison
compare-note = Both variants run with seed { $seed }. The diagram above and every editing panel show variant { $main }; variant { $other } is drawn here at the same moment.
variant-to-edit = Variant to edit
edit-variant-a = Edit variant A
edit-variant-b = Edit variant B
copy-ab-link = Copy A/B link
end-comparison = End comparison
variant-editing = Variant { $side } · editing
variant = Variant { $side }
variant-diagram = Diagram of variant { $side }
variant-note = — at the same moment; Edit variant { $side } to change it
untitled = untitled
catching-up = Variant { $side } is catching up: at { $at } of { $now }.
other-stopped = Variant { $side }'s run stopped at { $at }: { $why }
first-divergence = First divergence
runs-part-at = The runs part at { $time }
runs-part-after = , after { $events } events the same in both:
no-record-here = no record in this event
go-to-divergence = Go to the divergence
traces-same-to-end = The two traces are the same to their end ({ $events } events): nothing B changes shows in this run.
traces-same-so-far = The two traces are the same for the first { $events } events (to { $time }); the search stops there ({ $most } events at most).
divergence-unknown = Where the runs part is not known: { $why }
counters-differ-at = Counters that differ at { $time } ({ $count })
column-entity = Entity
column-counter = Counter
more-differences = …and { $count } more (eda run --link with the A/B link lists them all).
no-differences = No counter differs at this moment.
