"""The fault suite: each test injects one fault into real parts and asserts nothing was lost.

| fault injected | test |
| --- | --- |
| one node of a 3-node NATS cluster killed under load, then restarted | test_bus_faults.py |
| all of NATS down for 10 s: Redis fallback, then replay | test_bus_faults.py |
| a consumer process killed mid-run; NATS down while a bus stops | test_bus_faults.py |
| an inference worker killed mid-request | test_inference_worker_killed.py |
| Redis down under the whole platform | test_platform_redis_down.py |
| the embedded Triton server killed | test_platform_triton.py |
| a provider answering bursts of 429 and 500 | test_platform_provider_bursts.py |
| a slow consumer under a flood: shedding | test_platform_backpressure.py |

Related faults tested beside their component: a relaycore replica killed under load
(tests/relaycore/test_replicas.py), breakers, retries and fallback against scripted
deployments (tests/relaycore/test_resilience.py), shedding order by priority on a real queue
(tests/orchestrator/test_shedding.py). Bad input: tests/property (contracts) and tests/fuzz
(the bus).
"""
