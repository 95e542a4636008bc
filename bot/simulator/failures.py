"""How real PyTorch/Megatron runs end in their logs: the last lines of each failure and success."""

from __future__ import annotations

from bot.simulator.model import Job

_TRAIN = "/workspace/Megatron-LM/megatron/training.py"


def _traceback(frames: list[tuple[str, int, str, str]], error: str) -> list[str]:
    lines = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        lines += [f'  File "{path}", line {line}, in {func}', f"    {code}"]
    return [*lines, error]


def cuda_oom(job: Job, iteration: int) -> list[str]:
    """Rank 0 runs out of GPU memory in the backward pass."""
    error = (
        "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB "
        "(GPU 0; 79.35 GiB total capacity; 75.12 GiB already allocated; 1.21 GiB free; "
        "76.90 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try "
        "setting max_split_size_mb to avoid fragmentation.  See documentation for Memory "
        "Management and PYTORCH_CUDA_ALLOC_CONF"
    )
    frames = [
        (
            "/workspace/Megatron-LM/pretrain_gpt.py",
            231,
            "<module>",
            "pretrain(train_valid_test_datasets_provider,",
        ),
        (_TRAIN, 199, "pretrain", "iteration = train(forward_step_func,"),
        (_TRAIN, 745, "train", "train_step(forward_step_func,"),
        (_TRAIN, 419, "train_step", "losses_reduced = forward_backward_func("),
        (
            "/usr/local/lib/python3.10/dist-packages/torch/autograd/__init__.py",
            200,
            "backward",
            "Variable._execution_engine.run_backward(",
        ),
    ]
    return [*_traceback(frames, error), _child_failed(job, 1)]


def nccl_timeout(job: Job, iteration: int) -> list[str]:
    """A collective hangs and the NCCL watchdog kills the process."""
    seq = 40000 + iteration * 7
    return [
        f"[E ProcessGroupNCCL.cpp:475] [Rank 3] Watchdog caught collective operation timeout: "
        f"WorkNCCL(SeqNum={seq}, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=1800000) "
        "ran for 1800421 milliseconds before timing out.",
        "[E ProcessGroupNCCL.cpp:489] Some NCCL operations have failed or timed out. Due to the "
        "asynchronous nature of CUDA kernels, subsequent GPU operations might run on corrupted/"
        "incomplete data.",
        "[E ProcessGroupNCCL.cpp:495] To avoid data inconsistency, we are taking the entire "
        "process down.",
        "terminate called after throwing an instance of 'std::runtime_error'",
        f"  what():  [Rank 3] NCCL watchdog thread terminated with exception: [Rank 3] Watchdog "
        f"caught collective operation timeout: WorkNCCL(SeqNum={seq}, OpType=ALLREDUCE) ran for "
        "1800421 milliseconds before timing out.",
        _child_failed(job, -6),
    ]


def python_error(job: Job, iteration: int) -> list[str]:
    """The data loader hits a file that is not there."""
    frames = [
        (
            "/workspace/Megatron-LM/pretrain_gpt.py",
            231,
            "<module>",
            "pretrain(train_valid_test_datasets_provider,",
        ),
        (_TRAIN, 745, "train", "train_step(forward_step_func,"),
        (
            "/workspace/Megatron-LM/megatron/data/gpt_dataset.py",
            312,
            "__getitem__",
            "sample = self.indexed_dataset.get(self.doc_idx[doc_index_f],",
        ),
    ]
    error = (
        "FileNotFoundError: [Errno 2] No such file or directory: "
        "'/mnt/cluster/datasets/pile/pile_text_document_17.bin'"
    )
    return [*_traceback(frames, error), _child_failed(job, 1)]


def gpu_xid(job: Job, iteration: int) -> list[str]:
    """A GPU falls off the bus mid-step."""
    return [
        "RuntimeError: CUDA error: unspecified launch failure",
        "CUDA kernel errors might be asynchronously reported at some other API call, so the "
        "stacktrace below might be incorrect.",
        "For debugging consider passing CUDA_LAUNCH_BLOCKING=1.",
        "terminate called after throwing an instance of 'c10::Error'",
        "  what():  CUDA error: unspecified launch failure (Xid 79: GPU has fallen off the bus)",
        _child_failed(job, -6),
    ]


def custom(job: Job, iteration: int) -> list[str]:
    """A failure forced through the control API, with the reason it was given."""
    frames = [("/workspace/train.py", 88, "main", "trainer.fit()")]
    return [
        *_traceback(frames, f"RuntimeError: {job.reason or 'job failed'}"),
        _child_failed(job, job.exit_code),
    ]


def success(job: Job, iteration: int) -> list[str]:
    """The last lines of a run that finishes its iterations."""
    return [
        f"[after training is done] iteration {iteration} finished",
        " validation loss at the end of training | lm loss value: 2.086614E+00 | "
        "lm loss PPL: 8.057136E+00 |",
        "training finished, exiting.",
    ]


def _child_failed(job: Job, code: int) -> str:
    return (
        f"torch.distributed.elastic.multiprocessing.errors.ChildFailedError: "
        f"/workspace/Megatron-LM/pretrain_gpt.py FAILED (exitcode: {code}, job: {job.name})"
    )


ENDINGS = {
    "cuda_oom": cuda_oom,
    "nccl_timeout": nccl_timeout,
    "python_error": python_error,
    "gpu_xid": gpu_xid,
    "custom": custom,
}
