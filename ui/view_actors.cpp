// Views of actors and fibers: an actor's address, whether it lives, and its mailbox as
// a queue of message chips, oldest first; dropped messages counted; a
// fiber's holder of control and the value last handed over. Above them, the
// actors as a graph: supervisors (actors that trap exits) on top, the actors
// they are linked to below, links as lines and monitors as dashed lines; a
// crashed actor faded and crossed out, one that ended normally greyed, a
// restart a new node; the message the
// latest step sent travelling from sender to receiver.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engine/actor.hpp"
#include "engine/fiber.hpp"
#include "scenes/narrate.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {

namespace {
// Its actor ended of a panic: red and crossed out. One that ended normally is greyed.
bool crashed(const engine::Mailbox& box) { return !box.alive() && box.exit_reason() != "normal"; }

// An actor whose task ended while its address stays open (no link closed it): "done", not "alive".
bool finished(const scenes::Run& run, const engine::Mailbox& box) {
    return !run.is_real() && box.owner() != engine::kNone && run.sched().task(box.owner()).state == engine::TaskState::Done;
}
}  // namespace

void draw_mailbox(const scenes::Run& run, const engine::Object& o, const ViewContext& vc) {
    const auto& box = static_cast<const engine::Mailbox&>(o);
    const Palette& pal = palette();
    const auto& rt = run.rt();
    ImGui::Text("actor %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    // An actor that ended normally (its address closed with it) is not red: only a crash is.
    const bool done = box.alive() && finished(run, box);
    const bool died = crashed(box);
    chip(died ? "crashed" : !box.alive() ? "exited" : done ? "done" : "alive", died ? pal.bad : !box.alive() || done ? pal.done : pal.good);
    if (died) tooltip(box.exit_reason().c_str());
    if (box.dropped()) {
        ImGui::SameLine();
        chip_label((std::to_string(box.dropped()) + " dropped").c_str());
    }
    chip_label("mailbox");
    const auto& messages = box.messages();
    if (messages.empty()) {
        ImGui::SameLine();
        chip_label("(empty)");
    }
    // The newest message slides in from the right after a step that put it there.
    const bool arrived = !run.is_real() && !messages.empty() && vc.since_step < kSlide;
    // The messages wrap at the pane's (or the column's) edge.
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    float first_x = 0.0f;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const engine::Message& m = messages[i];
        const std::string from = m.from == engine::kNone ? "runtime" : rt.task_name(m.from);
        const std::string text = scenes::message_words(run, m.tag, m.value, m.note) + " from " + from;
        chip_same_line(text.c_str(), right, i == 0);
        // A chip that wraps lines up under the first, not under "mailbox".
        if (i == 0) {
            first_x = ImGui::GetCursorPosX();
        } else if (ImGui::GetCursorPosX() < first_x) {
            ImGui::SetCursorPosX(first_x);
        }
        if (arrived && i + 1 == messages.size()) {
            const float k = ease(vc.since_step / kSlide);
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (1.0f - k) * ImGui::GetFontSize() * 3.0f);
        }
        chip(text.c_str(), i == 0 ? pal.accent : pal.ready);
    }
}

void draw_fiber(const scenes::Run& run, const engine::Object& o) {
    const auto& f = static_cast<const engine::Fiber&>(o);
    const Palette& pal = palette();
    ImGui::Text("fiber %s", o.name().c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    if (f.finished()) {
        chip("finished", pal.done);
    } else {
        const engine::Snapshot snap = f.snapshot();
        const std::string who = snap.holder == engine::kNone ? std::string("nobody yet") : run.rt().task_name(snap.holder);
        chip((who + " has control").c_str(), f.control() == engine::Fiber::Side::Fiber ? pal.accent : pal.ready);
    }
    ImGui::TextDisabled("last value passed: %s, %llu hand-offs", run.value_text(f.last_value()).c_str(),
                        static_cast<unsigned long long>(f.switches()));
}

namespace {

struct Node {
    const engine::Mailbox* box;
    ImVec2 min, max;
    ImVec2 centre() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
};

// Where the line from a node's centre towards `to` leaves the node's box:
// links and monitors run between the boxes' edges, never over a name.
ImVec2 exit_point(const Node& n, ImVec2 to) {
    const ImVec2 c = n.centre();
    const float dx = to.x - c.x, dy = to.y - c.y;
    float s = 1.0f;
    if (dx != 0.0f) s = std::min(s, (n.max.x - n.min.x) * 0.5f / std::abs(dx));
    if (dy != 0.0f) s = std::min(s, (n.max.y - n.min.y) * 0.5f / std::abs(dy));
    return {c.x + dx * s, c.y + dy * s};
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, unsigned colour, float thick) {
    const float len = std::hypot(b.x - a.x, b.y - a.y);
    const float dash = ImGui::GetFontSize() * 0.4f;
    for (float t = 0; t < len; t += dash * 2) {
        const float u = t / len, v = std::min(t + dash, len) / len;
        dl->AddLine({a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u}, {a.x + (b.x - a.x) * v, a.y + (b.y - a.y) * v}, colour, thick);
    }
}

}  // namespace

void draw_actor_graph(const scenes::Run& run, const ViewContext& vc) {
    const auto& rt = run.rt();
    const Palette& pal = palette();
    std::vector<const engine::Mailbox*> boxes;
    const engine::Links* links = nullptr;
    for (std::size_t i = 0; i < rt.object_count(); ++i) {
        const engine::Object& o = rt.object(static_cast<engine::ObjectId>(i));
        if (o.kind() == engine::ObjectKind::Mailbox && static_cast<const engine::Mailbox&>(o).owner() != engine::kNone) {
            boxes.push_back(static_cast<const engine::Mailbox*>(&o));
        } else if (o.kind() == engine::ObjectKind::Links) {
            links = static_cast<const engine::Links*>(&o);
        }
    }
    if (boxes.size() < 2) return;
    const engine::Links::Graph g = links ? links->graph() : engine::Links::Graph{};

    // Rows: supervisors, then the living, then the dead, each wrapping at the pane's width.
    const auto group = [&](const engine::Mailbox* b) { return g.trapping.count(b->owner()) ? 0 : b->alive() ? 1 : 2; };
    std::stable_sort(boxes.begin(), boxes.end(), [&](const engine::Mailbox* a, const engine::Mailbox* b) { return group(a) < group(b); });
    if (links) {
        // The key names only what the graph shows now (the last frame of a run has no lines and nothing blue).
        bool blue = false, grey = false, crossed = false;
        for (const engine::Mailbox* b : boxes) {
            const bool ended = !b->alive() || finished(run, *b);
            crossed = crossed || crashed(*b);
            grey = grey || (ended && !crashed(*b));
            blue = blue || (!ended && g.trapping.count(b->owner()));
        }
        std::string key;
        const auto add = [&key](bool shown, const char* part) {
            if (shown) key += (key.empty() ? "" : "; ") + std::string(part);
        };
        add(!g.links.empty(), "lines: links");
        add(!g.monitors.empty(), "dashed: monitors");
        add(blue, "blue: traps exits");
        add(grey, "grey: ended");
        add(crossed, "crossed out: crashed");
        if (!key.empty()) disabled_wrapped(key.c_str());
    }
    const float em = ImGui::GetFontSize();
    const float width = ImGui::GetContentRegionAvail().x;
    const float pad = em * 0.4f, gap_x = em * 0.8f, gap_y = em * 1.8f, h = em + pad * 2;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    std::vector<Node> nodes;
    std::vector<std::vector<std::size_t>> rows(1);
    float x = 0;
    int row_group = group(boxes.front());
    for (const engine::Mailbox* b : boxes) {
        const float w = ImGui::CalcTextSize(b->name().c_str()).x + pad * 2;
        if (!rows.back().empty() && (group(b) != row_group || x + w > width)) {
            rows.emplace_back();
            x = 0;
        }
        row_group = group(b);
        rows.back().push_back(nodes.size());
        nodes.push_back({b, {x, 0}, {x + w, h}});
        x += w + gap_x;
    }
    // Centre each row; place rows one under the other.
    std::map<engine::TaskId, std::size_t> by_owner;
    std::map<engine::ObjectId, std::size_t> by_box;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const float used = nodes[rows[r].back()].max.x;
        const float shift = std::max(0.0f, (width - used) * 0.5f);
        for (std::size_t i : rows[r]) {
            Node& n = nodes[i];
            n.min = {origin.x + n.min.x + shift, origin.y + static_cast<float>(r) * (h + gap_y)};
            n.max = {origin.x + n.max.x + shift, n.min.y + h};
            by_owner[n.box->owner()] = i;
            by_box[n.box->id()] = i;
        }
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float thick = std::max(1.5f, em * 0.08f);
    const auto node_of = [&](engine::TaskId t) { return by_owner.count(t) ? &nodes[by_owner.at(t)] : nullptr; };
    for (const auto& [a, b] : g.links) {
        const Node* na = node_of(a);
        const Node* nb = node_of(b);
        if (na && nb) dl->AddLine(exit_point(*na, nb->centre()), exit_point(*nb, na->centre()), pal.muted, thick);
    }
    for (const auto& [watcher, watched] : g.monitors) {
        const Node* na = node_of(watcher);
        const Node* nb = node_of(watched);
        if (na && nb) dashed(dl, exit_point(*na, nb->centre()), exit_point(*nb, na->centre()), pal.muted, thick);
    }
    for (const Node& n : nodes) {
        const bool alive = n.box->alive();
        const bool died = crashed(*n.box);
        const bool ended = !alive || finished(run, *n.box);
        const unsigned fill = died ? with_alpha(pal.bad, 0.2f)
                              : ended ? with_alpha(pal.done, 0.6f)
                                      : with_alpha(g.trapping.count(n.box->owner()) ? pal.accent : pal.good, 0.85f);
        const unsigned ink = text_on(fill);
        dl->AddRectFilled(n.min, n.max, fill, em * 0.3f);
        dl->AddText({n.min.x + pad, n.min.y + pad}, ink, n.box->name().c_str());
        // A crashed actor: a red frame, and its name struck through in the
        // text's own colour, thin, so that the name still reads.
        if (died) {
            dl->AddRect(n.min, n.max, pal.bad, em * 0.3f, 0, thick);
            dl->AddLine({n.min.x + pad, n.centre().y}, {n.max.x - pad, n.centre().y}, with_alpha(ink, 0.8f), std::max(1.0f, em * 0.06f));
        }
    }
    // The message the latest step sent (or the runtime delivered), on its
    // way: it leaves its sender for the gap between the two rows (under
    // their row if they share one), runs along it and enters its receiver,
    // so it never sits on a name. Under the last row the graph keeps a gap
    // for it too.
    const auto& events = rt.trace().events();
    if (!run.is_real() && !events.empty() && vc.since_step < kSlide * 2) {
        const engine::Event& e = events.back();
        const bool message = e.kind == engine::EventKind::ActorSend || e.kind == engine::EventKind::ActorExit;
        const Node* from = node_of(e.task);
        const auto to = by_box.find(e.object);
        if (message && from && to != by_box.end() && &nodes[to->second] != from) {
            const Node& dest = nodes[to->second];
            const float k = ease(vc.since_step / (kSlide * 2));
            // The gap under the upper of the two rows (under their row if they share one).
            const float lane = std::min(from->max.y, dest.max.y) + gap_y * 0.5f;
            const auto edge = [lane](const Node& n) { return n.max.y < lane ? n.max.y : n.min.y; };
            const ImVec2 a{from->centre().x, lane}, b{dest.centre().x, lane};
            const ImVec2 at{a.x + (b.x - a.x) * k, lane};
            const unsigned colour = e.kind == engine::EventKind::ActorExit ? pal.bad : pal.ready;
            // The wire it travels: from the sender to the gap, along it, to the receiver.
            const unsigned wire = with_alpha(colour, 0.6f);
            dl->AddLine({a.x, edge(*from)}, a, wire, thick);
            dl->AddLine(a, b, wire, thick);
            dl->AddLine(b, {b.x, edge(dest)}, wire, thick);
            const auto& q = dest.box->messages();
            const std::string label = q.empty() ? std::string("message") : q.back().tag;
            const ImVec2 size = ImGui::CalcTextSize(label.c_str());
            // A slim chip (the gap is 1.8 em, the chip 1.2): air above and below it.
            dl->AddRectFilled({at.x - size.x * 0.5f - pad, at.y - size.y * 0.5f - pad * 0.25f}, {at.x + size.x * 0.5f + pad, at.y + size.y * 0.5f + pad * 0.25f},
                              colour, em * 0.3f);
            dl->AddText({at.x - size.x * 0.5f, at.y - size.y * 0.5f}, text_on(colour), label.c_str());
        }
    }
    ImGui::Dummy({width, static_cast<float>(rows.size()) * (h + gap_y) + pad});
    ImGui::Separator();
}

}  // namespace such::ui
