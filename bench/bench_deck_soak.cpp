// Soak: presents the whole talk headless (ImGui frames built, no window) for
// N minutes, slide after slide, stepping each live scene as a speaker would,
// and prints resident and heap memory once a minute: they must stay flat.
//   build/native/bench_deck_soak [MINUTES=10]
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/rates.hpp"
#include "engine/real_runtime.hpp"
#include "scenes/deck.hpp"
#include "ui/app.hpp"
#include "ui/headless.hpp"

using namespace such;

int main(int argc, char** argv) {
    std::uint64_t minutes = 10;
    if (argc > 1 && (!scenes::parse_u64(argv[1], minutes, 1440) || minutes == 0)) {
        std::fprintf(stderr, "usage: bench_deck_soak [MINUTES from 1 to 1440]\n");
        return 2;
    }
    ui::App app;
    ui::HeadlessFrames frames;
    std::string error;
    if (!frames.init(SUCH_FONT_DIR, 22.0f * ui::App::kStageScale, ui::App::kStageScale, app, error)) {
        std::fprintf(stderr, "bench_deck_soak: %s\n", error.c_str());
        return 1;
    }
    app.command("slide 1");
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto next_report = start;
    std::uint64_t presses = 0, laps = 0;
    std::printf("minute  laps  presses  resident MB  heap MB\n");
    such::bench::record("soak.minutes", static_cast<double>(minutes));
    for (std::uint64_t minute = 0; minute <= minutes;) {
        if (Clock::now() >= next_report) {
            std::printf("%6llu  %4llu  %7llu  %11.1f  %7.1f\n", static_cast<unsigned long long>(minute), static_cast<unsigned long long>(laps),
                        static_cast<unsigned long long>(presses), static_cast<double>(engine::resident_bytes()) / 1048576.0,
                        static_cast<double>(engine::heap_bytes()) / 1048576.0);
            // The tables quote minutes 0 and 1, and the last one as "last".
            const auto report = [&](const std::string& when) {
                const std::string key = "soak." + when + ".";
                such::bench::record(key + "laps", static_cast<double>(laps));
                such::bench::record(key + "presses", static_cast<double>(presses));
                such::bench::record(key + "resident_mb", static_cast<double>(engine::resident_bytes()) / 1048576.0);
                such::bench::record(key + "heap_mb", static_cast<double>(engine::heap_bytes()) / 1048576.0);
            };
            if (minute <= 1) report(std::to_string(minute));
            if (minute == minutes) report("last");
            std::fflush(stdout);
            ++minute;
            next_report += std::chrono::minutes(1);
        }
        // A speaker's pace, sped up: a press, then a frame.
        const std::size_t before = app.slide();
        app.command("next");
        ++presses;
        if (app.slide() + 1 == scenes::deck().size() && before == app.slide()) {
            app.command("first");
            ++laps;
        }
        frames.frame(app);
    }
    return 0;
}
