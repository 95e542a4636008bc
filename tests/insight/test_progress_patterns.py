"""Each built-in pattern on lines as frameworks print them, and on lines that only look alike."""

from __future__ import annotations

import pytest

from bot.insight.progress_match import Reading, read_line

MEGATRON = (
    " [2025-08-01 07:19:37] iteration        1/    5000 | consumed samples:          128 | "
    "elapsed time per iteration (ms): 19138.8 | throughput per GPU (TFLOP/s/GPU): 80.2 | "
    "learning rate: 6.976744E-08 | global batch size:   128 | lm loss: 1.043863E+01 | "
    "loss scale: 1.0 | grad norm: 26.203 | number of skipped iterations:   0 | "
    "number of nan iterations:   0 |"
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (MEGATRON, Reading(step=1, total=5000, loss=10.43863, secs_per_step=19.1388)),
        (
            " iteration       16/  500000 | consumed samples:         2048 | elapsed time per "
            "iteration (ms): 3801.3 | learning rate: 1.500E-04 | global batch size:   128 | "
            "lm loss: 1.0520E+01 | loss scale: 65536.0 | number of skipped iterations:   0 |",
            Reading(step=16, total=500000, loss=10.52, secs_per_step=3.8013),
        ),
        (  # Megatron-DeepSpeed: a plain `loss` key and an arrow in front.
            "==> iteration      199/  317892 | consumed samples:       152832 | consumed tokens: "
            "  625999872 | elapsed time per iteration (ms): 14287.5 | learning rate: 2.407E-04 | "
            "global batch size:   768 | loss: 5.905366E+00 | loss scale: 8192.0 |",
            Reading(step=199, total=317892, loss=5.905366, secs_per_step=14.2875),
        ),
        (  # An iteration that logged no loss yet (every loss key zero is left out).
            " iteration        2/      50 | consumed samples:           16 | elapsed time per "
            "iteration (ms): 812.0 | learning rate: 0.000E+00 | global batch size:     8 |",
            Reading(step=2, total=50, secs_per_step=0.812),
        ),
    ],
)
def test_megatron_lines_give_step_total_loss_and_the_pace_they_state(
    line: str, expected: Reading
) -> None:
    found = read_line(line)
    assert found is not None
    assert (found.step, found.total, found.loss) == (expected.step, expected.total, expected.loss)
    assert found.secs_per_step == pytest.approx(expected.secs_per_step)


def test_megatron_validation_and_memory_lines_are_not_progress() -> None:
    assert read_line(" validation loss at iteration 100 | lm loss value: 3.2E+00 |") is None
    assert read_line("[Rank 0] (after 10 iterations) memory (MB) | allocated: 1234.5 |") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (" 3%|▎         | 150/5000 [01:23<45:01,  1.79it/s]", (150, 5000, 1 / 1.79)),
        (" 3%|▎         | 150/5000 [09:30<5:07:20,  3.80s/it]", (150, 5000, 3.8)),
        ("100%|██████████| 5000/5000 [2:29:18<00:00,  1.79s/it]", (5000, 5000, 1.79)),
        ("Training:  45%|████▌     | 450/1000 [04:10<05:06,  1.80it/s]", (450, 1000, 1 / 1.8)),
    ],
)
def test_a_tqdm_bar_gives_step_total_and_its_rate_either_way_round(
    line: str, expected: tuple[int, int, float]
) -> None:
    found = read_line(line)
    assert found is not None
    assert (found.step, found.total) == expected[:2]
    assert found.secs_per_step == pytest.approx(expected[2])
    assert found.loss is None


def test_a_bar_that_has_not_measured_a_rate_yet_is_not_read() -> None:
    assert read_line("  0%|          | 0/5000 [00:00<?, ?it/s]") is None


def test_thousands_of_carriage_return_redraws_on_one_line_keep_the_last() -> None:
    redraws = "".join(
        f"\r{n * 100 // 5000:3d}%|{'█' * (n * 10 // 5000):<10}| {n}/5000 [01:23<45:01,  1.79it/s]"
        for n in range(1, 4001)
    )
    assert len(redraws) > 200_000
    found = read_line(redraws + "\r")
    assert found is not None
    assert (found.step, found.total) == (4000, 5000)


def test_a_megabyte_line_is_read_from_its_end_only() -> None:
    found = read_line("x" * 2_000_000 + MEGATRON)
    assert found is not None
    assert found.step == 1
    found = read_line("x" * 2_000_000 + "\r 3%|▎         | 150/5000 [01:23<45:01,  1.79it/s]")
    assert found is not None
    assert found.step == 150
    # A progress line buried under a megabyte of noise after it is not looked for.
    assert read_line(" 3%|▎ | 150/5000 [01:23<45:01,  1.79it/s]" + "y" * 2_000_000) is None


@pytest.mark.parametrize(
    "line",
    [
        "Map: 100%|██████████| 10000/10000 [00:05<00:00, 1800.00 examples/s]",
        "Validation DataLoader 0:  50%|█████     | 5/10 [00:01<00:01,  4.20it/s]",
        "Downloading shards:  50%|█████     | 1/2 [00:10<00:10, 10.0s/it]",
    ],
)
def test_bars_that_count_something_else_than_training_steps_are_not_progress(line: str) -> None:
    assert read_line(line) is None


@pytest.mark.parametrize(
    ("line", "loss"),
    [
        ("{'loss': 1.234, 'grad_norm': 3.1, 'learning_rate': 4.9e-05, 'epoch': 0.5}", 1.234),
        (
            "{'loss': '2.345', 'grad_norm': '3.1', 'learning_rate': '4.9e-05', 'epoch': '0.5'}",
            2.345,
        ),
        ("{'loss': 1.5e-03, 'learning_rate': 1e-05, 'epoch': 2.97}", 0.0015),
        ('{"loss": 0.8123, "learning_rate": 2e-05, "epoch": 1.0}', 0.8123),
    ],
)
def test_a_hugging_face_log_dict_gives_the_loss_and_no_step(line: str, loss: float) -> None:
    assert read_line(line) == Reading(loss=loss)


def test_evaluation_and_summary_dicts_are_not_the_training_loss() -> None:
    assert read_line("{'eval_loss': 2.0, 'eval_runtime': 3.1, 'epoch': 1.0}") is None
    assert read_line("{'train_runtime': 812.3, 'train_loss': 1.92, 'epoch': 3.0}") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "[2023-10-31 08:58:33,237] [INFO] [logging.py:96:log_dist] [Rank 0] step=14000, "
            "skipped=25, lr=[0.001], mom=[0.9]",
            Reading(step=14000),
        ),
        (
            "worker-0: [2023-06-21 03:46:19,251] [INFO] [logging.py:96:log_dist] [Rank 0] "
            "step=1890, skipped=19, lr=[9.275816201087529e-08, 9.275816201087529e-08], "
            "mom=[(0.9, 0.95), (0.9, 0.95)]",
            Reading(step=1890),
        ),
        (
            "[Rank 0] step=100, skipped=0, lr=[0.0001], mom=[(0.9, 0.999)], loss=2.75E+00, "
            "samples/sec=412.5",
            Reading(step=100, loss=2.75),
        ),
        (
            "[2024-03-07 15:27:02,646] [INFO] [timer.py:260:stop] epoch=0/micro_step=199/"
            "global_step=199, RunningAvgSamplesPerSec=58.73, CurrSamplesPerSec=61.35, "
            "MemAllocated=6.01GB, MaxMemAllocated=19.52GB",
            Reading(step=199),
        ),
        (
            "steps: 100 loss: 2.3456 iter time (s): 0.512 samples/sec: 125.000",
            Reading(step=100, loss=2.3456, secs_per_step=0.512),
        ),
    ],
)
def test_deepspeed_engine_timer_and_pipeline_lines(line: str, expected: Reading) -> None:
    assert read_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Epoch 3:  45%|████▌     | 450/1000 [01:23<01:42,  5.39it/s, v_num=0]",
            Reading(step=450, total=1000, secs_per_step=1 / 5.39, epoch=3),
        ),
        (
            "Epoch 0: 100%|██████████| 84/84 [01:09<00:00,  1.20it/s, loss=0.840, v_num=1]",
            Reading(step=84, total=84, loss=0.84, secs_per_step=1 / 1.2, epoch=0),
        ),
        (
            "Epoch 12:   7%|▋         | 70/1000 [02:20<31:00,  2.00s/it, v_num=3, "
            "train_loss=1.23e-01]",
            Reading(step=70, total=1000, loss=0.123, secs_per_step=2.0, epoch=12),
        ),
    ],
)
def test_lightning_bars_count_batches_within_their_epoch(line: str, expected: Reading) -> None:
    found = read_line(line)
    assert found is not None
    assert (found.step, found.total, found.loss, found.epoch) == (
        expected.step,
        expected.total,
        expected.loss,
        expected.epoch,
    )
    assert found.secs_per_step == pytest.approx(expected.secs_per_step)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "NCCL INFO Bootstrap : Using eth0:10.0.0.1<0>",
        "loss is going down nicely",
        " iteration nan/5000 | lm loss: nan |",
        "{'loss': nan, 'epoch': 0.5}",
        "{'loss': 1e999, 'epoch': 0.5}",
        "[Rank 0] step=99999999999999999999, skipped=0",
    ],
)
def test_lines_without_a_usable_number_are_not_progress(line: str) -> None:
    assert read_line(line) is None
