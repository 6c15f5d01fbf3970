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

preset-order-events-sms-description = An order system publishes OrderCreated, OrderPaid and OrderShipped one second apart. The SMS listener subscribes to their parent type OrderStateChanged, so it receives all three, then unsubscribes.
preset-topics-description = The seed's Kafka example: order status messages go to topic order-topic; consumer group order-system-group reads from the earliest offset and sends an SMS when an order becomes paid (status 1). A member crashes: its partitions stall until the session times out, then the other member takes over from the last committed offsets.
preset-queues-description = Jobs are routed by a topic exchange to a work queue with two competing consumers. Failed jobs are requeued up to three deliveries, then parked in a dead-letter queue; one worker crashes and its unacknowledged jobs go to the other.
preset-delivery-guarantees-description = Every order goes through a fanout exchange to three queues, each read by a billing consumer with a different delivery guarantee. All three links lose 3 % of what they carry, double 3 % and let messages overtake within 20 ms; at 10 s the three consumers crash together for 2 s. Each consumer adds up the order amounts it processed: compare each total with what its queue accepted. The shop stops after 250 orders, so by 30 s everything has settled.
preset-producer-acks-description = Three producers send the same stream of orders, each to its own topic of two partitions with three replicas, whose followers copy a record 50 to 250 ms after its leader. Each producer's link to the broker loses 5 % of what it carries and doubles 2 %. At 8 s, 16 s and 24 s every partition leader fails over to a follower. acks leader is told a record is written as soon as the leader has it: a failover loses those the followers had not copied yet. acks all waits for every replica and retries what it hears nothing about, so nothing is lost, but a retry after a lost acknowledgement writes the record twice. The idempotent producer retries the same way and the broker discards the copies: neither lost nor doubled. Each reader adds up the order amounts it processed: compare its total with what the producer was told is written.
preset-dual-write-outbox-description = Three order services take the same stream of orders; each writes a new order to its database and publishes OrderCreated to its own queue, read by a billing consumer. orders-dual writes, then publishes (a broker call of about 50 ms); orders-first publishes, then writes; orders-outbox writes the order and its event in one transaction, and a relay reads the outbox every 500 ms and publishes what it finds. All three crash three times, for half a second each, at about 6 s, 14 s and 22 s. A crash between the two steps of a dual write loses an event (orders-dual: an order nobody hears of) or invents one (orders-first: an event for an order the database never had). The outbox loses nothing; a crash between the relay's publish and its mark publishes a row again, and the idempotent billing consumer, which keys its store on the event's id, catches the repeat. Compare each service's orders with what its billing consumer handled.
preset-exactly-once-transactions-description = Payments arrive on a topic. Two stream processors read them and write each one to a ledger topic: convert-alo writes, and commits the offsets it consumed every 500 ms (at-least-once); convert-eos does the same inside a transaction that commits its records and its offsets together. Each processor crashes at 8 s and at 17 s and comes back a second later. convert-alo then reads again from its last commit and writes those payments a second time: reads-alo counts them twice. convert-eos's open transaction is aborted when it comes back: the records it had written stay in the ledger, marked aborted, and it writes them again. reads-all, which reads uncommitted records, counts them twice all the same; committed-only passes over the aborted ones and waits at the last stable offset while a transaction is open, so its total is exact, a commit interval behind.
preset-network-partition-description = At 5 s the network splits: billing-2, a member of the billing group, and pay-1, the payment provider, are cut off from the broker, the registry and everyone else, until the network heals at 12 s. Neither crashed. billing-2 sends no heartbeat, so after its 3 s session timeout the group declares it dead and gives its partitions to billing-1, which reads them again from the last auto-commit: records billing-2 had processed are processed twice. pay-1's heartbeats fail, so after its 3 s TTL the registry drops payment; the dashboard watching it is told, and checkout's calls fail with Name not found. When the network heals, billing-2 finds it was removed and joins again (another rebalance), and pay-1's next heartbeat registers payment again.
preset-request-reply-description = POST /orders creates an order and returns its id and a confirmation code; the user confirms within 30 seconds. Every 10 seconds another wave of shoppers arrives until the order service (4 workers, 20 ms each: 200 requests per second) saturates: queues fill, response times climb and requests are turned away with 503.
preset-service-discovery-description = Providers foo and bar register their echo services at a registry, and a client finds them by name and calls them, while a baz that nobody registered is not found. Then the registry crashes and forgets everything while foo crashes too: the client's cached endpoint for foo goes stale, and only after the restart do heartbeats rebuild the registry.
preset-event-sourcing-description = Over five days every change to user-42's profile is appended as an event (registration, a phone number added then removed, an address added, corrected and moved, a new e-mail address that a second writer tries to overwrite and is refused, a corrected name), with a snapshot every three events. Replaying the stream to any day shows the profile as it was then and which event changed which field, while the profile-view projection follows the log 200 ms behind and is rebuilt from the whole log on day 5.
preset-order-system-description = Shoppers call the order service (request-response); every order outcome is appended to its stream in the event store (event sourcing), which publishes it on the event bus where an SMS listener reacts; paid orders also go to a Kafka-like topic read by a consumer group; the checkout finds the payment provider through a service registry, which crashes for ten seconds.

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

## Diagram
diagram = Diagram
diagram-zoom = Diagram zoom
zoom-out = Zoom diagram out
zoom-out-title = Zoom out (Ctrl+wheel or pinch also zooms)
zoom-in = Zoom diagram in
zoom-in-title = Zoom in (Ctrl+wheel or pinch also zooms)
fit-diagram = Fit diagram
zoom-level = Diagram zoom level
zoom-fitted = fitted
diagram-view = Diagram view: arrow keys pan, Z zooms in, Shift+Z out, 0 fits
linking-from = Linking from { $name }: go to the other entity with the arrow keys and press Enter (Escape cancels).
node-actions = Actions on { $name }
node-link-title = Then pick the other entity and press Enter, or drag from the node's port
node-link = { $name }: link to…
node-restart = { $name }: restart
node-crash = { $name }: crash
node-fail-over = { $name }: fail over leaders
diagram-summary = { $entities } entities, { $links } links
export-svg = Export diagram as SVG
export-png = Export diagram as PNG
tidy-layout = Tidy layout
tidy-layout-title = Put every node back where the automatic layout places it
state-playing = ▶ Playing
state-paused = ❚❚ Paused
legend = Legend
flow-in-flight = in flight
flow-queued = queued
flow-being-processed = being processed
flow-acked = acked
flow-redelivered = redelivered
flow-dead-lettered = dead-lettered
flow-dropped = dropped
legend-trail = a message's last moment of travel
legend-ready = waiting in line (ready, or a record not yet consumed)
legend-unacked = delivered, not yet acked / being handled
legend-consumed = a record its group has consumed
legend-uncopied = a record only the partition's leader has (followers not caught up)
legend-open = a record of a transaction still open (read committed waits before it)
legend-aborted = a record of an aborted transaction (read committed skips it)
legend-busy-worker = a busy worker (empty: idle)
legend-owner = partition owner: the consumer of that colour
legend-key = binding key on a link
legend-faulty = ⚡ a faulty link: it loses, doubles, delays or reorders messages
legend-cut = ✂ cut by a network partition: nothing crosses it (a cut-off node says ✂ CUT OFF)
legend-just-happened = an outcome just now, in its status's colour (on the box's corner)
legend-took-part = took part in the event at the cursor
legend-work-dot = a message being processed (on the box's edge)
legend-port = drag from here to link to another entity
legend-down = down (crashed)
legend-busy = busy handling
kind-bus = bus
kind-source = source
kind-listener = listener
kind-service = service
kind-client = client
kind-broker = broker
kind-exchange = exchange
kind-queue = queue
kind-topic = topic
kind-consumer-group = consumer group
kind-producer = producer
kind-consumer = consumer
kind-registry = registry
kind-provider = provider
kind-discovery-client = discovery client
kind-event-store = event store
kind-projection = projection

## Panels: folding, charts, lanes, event log
expand-panel = Expand panel
collapse-panel = Collapse panel
show-panel = Show { $title }
hide-panel = Hide { $title }
charts = Charts
chart = Chart: { $title }
chart-at-cursor = — at the cursor: { $values }
chart-max = max { $max } { $unit }
chart-throughput = Throughput
chart-response-time = Response time
chart-queue-depth = Queue depth
chart-consumer-lag = Consumer lag
unit-per-s = per s
unit-ms = ms
unit-messages = messages
unit-records = records
lanes = Timeline lanes
lanes-label = Timeline lanes: { $lanes } entities, from { $from } to { $to }; cursor at { $at }
visible-window = Visible window
lanes-zoom-in = Zoom in
lanes-zoom-out = Zoom out
lanes-earlier = Earlier
lanes-later = Later
lanes-whole-run = Whole run
lanes-empty = Lanes appear when the scenario has entities.
filter-entity = Filter by entity
all-entities = All entities
filter-events = Filter events
filter-placeholder = e.g. Delivered, OrderPaid
log-newest = — newest { $shown } of { $total } records
log-total = — { $total } records
column-time = Time
column-what = What
column-event = Event
column-from = From
column-to = To
move-cursor-here = Move the cursor here
move-cursor-to = Move cursor to: { $what } { $event } { $from } → { $to } at { $time } (record { $index })

## Inspector and replay
inspector = Inspector
inspector-after-cursor = The picked event lies after the cursor: move the cursor forward to see it.
column-about = About
caused-by = Caused by
caused-by-record = { $what } { $event } at { $time }
all-fields = All fields
path-so-far = Path so far ({ $count ->
    [one] { $count } record
   *[other] { $count } records
})
replay = Event-sourcing replay
replay-store = Event store
replay-stream = Stream
replay-stream-of = Stream (one of { $count })
replay-to-time = Replay to time
replay-now = now ({ $time })
replay-button = Replay
replay-state-of = State of { $stream }
replay-events-of = Events that built { $stream }
column-field = Field
column-value = Value
column-version = Version
column-changes = Changes

## Entity cards and their actions
entities = Entities
card-create-order = Create order
card-create-order-name = Create order as { $name }
card-send-request = Send request
card-send-request-name = Send request from { $name }
card-orders-per-second = Orders per second
card-orders-per-second-name = Orders per second from { $name }
card-requests-per-second = Requests per second
card-requests-per-second-name = Requests per second from { $name }
card-publish = Publish message
card-publish-name = Publish from { $name }
card-fail-over = Fail over leaders
card-fail-over-name = Fail over the partition leaders of { $name }
card-register = Register
card-register-name = Register { $name }
card-deregister = Deregister
card-deregister-name = Deregister { $name }
card-rebuild = Rebuild
card-rebuild-name = Rebuild { $name }
card-join = Join group
card-join-name = { $name } joins its group
card-leave = Leave group
card-leave-name = { $name } leaves its group
card-reconnect = Reconnect
card-reconnect-name = Reconnect { $name } to the network
card-cut-off = Cut off
card-cut-off-name = Cut { $name } off the network
card-crash = Crash
card-crash-name = Crash { $name }
card-restart = Restart
card-restart-name = Restart { $name }
card-show-records = Show these records in the event log
card-show-records-name = { $value } { $counter } of { $name }: show them in the event log
card-bar-name = { $bar } of { $name }
service-name = Service name
service-name-for = Service name for { $client }
operation = Operation
operation-for = Operation for { $client }
look-up = Look up
look-up-with = Look up with { $client }
watch = Watch
watch-with = Watch with { $client }
call = Call
call-with = Call with { $client }
service-name-first = Type the service name first (e.g. foo).
append-stream = Stream
append-stream-in = Stream in { $store }
append-event-type = Event type
append-event-type-to = Event type to append to { $store }
append-data = Data (JSON)
append-data-for = Event data for { $store }
append-event = Append event
append-event-to = Append event to { $store }
append-not-object = The data must be a JSON object, e.g. {"{"}"name": "Ada"{"}"}.
append-not-json = The data is not valid JSON: { $error }.
append-name-both = Name the stream and the event type.

## Theory beside the run
theory = Theory
theory-heading = Theory beside the run
theory-model = M/M/{ $servers } × { $replicas ->
    [one] { $replicas } replica
   *[other] { $replicas } replicas
}: λ { $arrivals }/s, μ { $service }/s per worker
theory-no-rate = no arrival rate to predict from
theory-no-steady-state = ✗ no steady state to compare with: the model's queue grows without bound
theory-inside = ✓ the prediction is inside the run's 95 % interval
theory-outside = ✗ the prediction is outside the run's 95 % interval
theory-too-few = too few completed requests for an interval yet
theory-little-holds = λW = { $value } ✓ (Little's law holds)
theory-little-not-yet = λW = { $value } (not yet in balance)
theory-for-service = Queueing theory for service { $name }
theory-quantity = quantity
theory-predicted = predicted
theory-measured = measured
theory-utilisation = utilisation ρ
theory-wait-chance = chance of waiting
theory-mean-wait = mean wait
theory-sojourn = mean time in the service W
theory-response = mean response, as clients see it
theory-in-system = mean number in the service L
theory-not-the-model = Where { $name } is not the model
theory-lag = Consumer-group lag growth
theory-lag-caption = Consumer-group lag
theory-lag-note = — what the producers send less what the members can read
theory-group = group
theory-predicted-growth = predicted growth
theory-measured-growth = measured so far
theory-records-per-s = { $rate } records/s
