%% The Erlang peer of bench_actors: the same two programs with Erlang
%% processes, timed the same way (best of 3), then 100,000 processes spawned:
%% spawns per second and bytes per waiting process.
%%   erlc actors.erl && erl -noshell -s actors main N HOPS -s init stop
-module(actors).
-export([main/1]).

pong() ->
    receive
        {ping, From, N} -> From ! {pong, N}, pong();
        stop -> ok
    end.

ping(_Pong, 0) -> ok;
ping(Pong, N) ->
    Pong ! {ping, self(), N},
    receive {pong, N} -> ping(Pong, N - 1) end.

pingpong(N) ->
    Pong = spawn(fun pong/0),
    {Micros, ok} = timer:tc(fun() -> ping(Pong, N) end),
    Pong ! stop,
    Micros.

ring_node(Next) ->
    receive
        {token, 0} -> Next ! stop, ok;
        {token, K} -> Next ! {token, K - 1}, ring_node(Next);
        stop -> Next ! stop, ok
    end.

%% A ring of Size processes; the token makes Hops hops, then the ring stops.
ring(Size, Hops) ->
    Self = self(),
    Last = lists:foldl(fun(_, Next) -> spawn(fun() -> ring_node(Next) end) end, Self, lists:seq(1, Size - 1)),
    {Micros, _} = timer:tc(fun() ->
        Last ! {token, Hops},
        wait(Last)
    end),
    Micros.

wait(Last) ->
    receive
        {token, 0} -> Last ! stop, ok;
        {token, K} -> Last ! {token, K - 1}, wait(Last);
        stop -> ok
    end.

%% Spawns N processes that wait for a message; the time to spawn them all and
%% the memory they hold while waiting (erlang:memory(processes)).
spawn_many(N) ->
    erlang:garbage_collect(),
    M0 = erlang:memory(processes),
    {Micros, Pids} = timer:tc(fun() -> [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)] end),
    M1 = erlang:memory(processes),
    [P ! stop || P <- Pids],
    {Micros, (M1 - M0) / N}.

best(F) -> lists:min([F() || _ <- [1, 2, 3]]).

main([NArg, HopsArg]) ->
    N = list_to_integer(atom_to_list(NArg)),
    Hops = list_to_integer(atom_to_list(HopsArg)),
    P = best(fun() -> pingpong(N) end),
    R = best(fun() -> ring(1000, Hops) end),
    io:format("pingpong ~p~n", [round(N / (P / 1.0e6))]),
    io:format("ring_hops ~p~n", [round(Hops / (R / 1.0e6))]),
    {S, _} = best(fun() -> spawn_many(100000) end),
    {_, Bytes} = spawn_many(100000),
    io:format("spawn ~p~n", [round(100000 / (S / 1.0e6))]),
    io:format("bytes_per_actor ~p~n", [round(Bytes)]).
