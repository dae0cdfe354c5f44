// Scene "csp/cake": the talk's Go example. A maker bakes cakes and hands each
// to a packer through a channel. Unbuffered, every handover is a meeting: the
// maker waits at the door until the packer is there. With a shelf (a buffered
// channel) the maker runs ahead until the shelf is full: backpressure.
// Models table row: CSP (goroutines / threads, preemptive, channels).
#include "engine/channel.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

std::int64_t cakes_for(int param, bool real) { return real ? std::int64_t{param} * 20000 : param; }

class CakeRun final : public Run {
public:
    CakeRun(const Settings& settings, int cakes, int shelf, int pack_time)
        : Run(settings), shelf_("shelf", shelf), cakes_(cakes_for(cakes, settings.runtime == RuntimeKind::Real)), pack_time_(pack_time) {
        rt().add(shelf_);
        const std::string n = std::to_string(cakes_);
        listings_.push_back({"maker", {"for cake in 1.." + n + ":", "  bake(cake)", "  shelf <- cake", "close(shelf)"}});
        listings_.push_back({"packer", {"for cake := range shelf:", "  pack(cake)  // takes " + std::to_string(pack_time) + " steps"}});
        const engine::TaskId maker = rt().spawn("maker", 0, [this](Ctx& ctx) { return make(ctx); });
        rt().spawn("packer", 1, [this](Ctx& ctx) { return pack(ctx); });
        shelf_.set_sender(maker);
    }

    std::string outcome_key() const override { return std::to_string(packed_) + " packed"; }

    Outcome scene_outcome() const override {
        const std::string packed = std::to_string(packed_) + " of " + std::to_string(cakes_) + " cakes packed";
        if (!over()) return {false, false, packed + "; on the shelf: " + std::to_string(shelf_.buffer().size())};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (packed_ != cakes_ || disorder_) return {true, true, packed + (disorder_ ? ", out of order" : "")};
        std::string waits;
        if (!is_real()) {
            const auto waits_of = [&](engine::TaskId t) { return static_cast<long>(rt().trace().count(engine::EventKind::ChanWait, t)); };
            waits = "; the maker waited " + counted(waits_of(0), "time") + " at the shelf, the packer " + std::to_string(waits_of(1));
        }
        return {true, false, "all " + packed + ", in order" + waits};
    }

private:
    Task make(Ctx& ctx) {
        for (std::int64_t cake = 1; cake <= cakes_; ++cake) {
            co_await engine::ComputeStep(ctx.at(1).from(0), "bake: cake", cake);  // from the loop's test
            co_await shelf_.send(ctx.at(2), cake);
        }
        co_await shelf_.close(ctx.at(3));
    }
    Task pack(Ctx& ctx) {
        for (;;) {
            const engine::Received r = co_await shelf_.recv(ctx.at(0));
            if (!r.ok) break;
            if (r.value != packed_ + 1) disorder_ = true;
            for (int i = 0; i < pack_time_; ++i) co_await engine::ComputeStep(ctx.at(1), "pack: cake", r.value);
            ++packed_;
        }
    }

    engine::Channel<std::int64_t> shelf_;
    std::int64_t cakes_;
    int pack_time_;
    std::int64_t packed_ = 0;
    bool disorder_ = false;
};

}  // namespace

Scene csp_cake() {
    Scene s;
    s.id = "csp/cake";
    s.title = "Channels: the cake maker and the packer";
    s.section = "CSP";
    s.row = models::kCsp;
    s.slide =
        "Don't communicate by sharing memory; share memory by communicating. The maker hands each cake to the "
        "packer through a channel: passing it over passes ownership. Without a shelf every handover is a "
        "meeting, and the faster one waits for the other. With a shelf the maker runs ahead until it is full, "
        "then waits: backpressure.";
    s.notes =
        "Shelf 0: the maker and the packer meet at the door for every cake. Press V for a shelf of 1, V again "
        "for 2: the maker runs ahead, fills the shelf, then waits.";
    s.params = {
        {"cakes", "cakes", 1, 8, 4, "how many cakes (x 20,000 on real threads)", {}},
        {"shelf", "shelf size", 0, 4, 0, "the channel's buffer (0: unbuffered, a rendezvous)", {}},
        {"pack", "packing time", 1, 4, 2, "steps the packer needs per cake", {}},
    };
    s.runs_on_real_threads = true;
    s.claims = [](const Settings&) { return Claim{false, "every cake is packed, in order, and nobody deadlocks"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<CakeRun>(settings, p.at("cakes"), p.at("shelf"), p.at("pack"));
    };
    return s;
}

}  // namespace such::scenes
