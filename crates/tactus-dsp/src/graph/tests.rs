//! Runtime tests: exact values in tiny graphs, block-size independence, feedback through a
//! delay, pattern slots, the cycle clock, and live updates that keep state.

use super::*;

const SR: f32 = 48_000.0;

fn render(rt: &mut Runtime, frames: usize, block: usize) -> (Vec<f32>, Vec<f32>) {
    let (mut l, mut r) = (vec![0.0; frames], vec![0.0; frames]);
    let mut at = 0;
    while at < frames {
        let n = block.min(frames - at).min(crate::MAX_BLOCK);
        rt.process(
            at as u64,
            at as f64 / 1000.0,
            1.0 / 1000.0,
            &mut l[at..at + n],
            &mut r[at..at + n],
        );
        at += n;
    }
    (l, r)
}

fn acid() -> Patch {
    Patch {
        modules: vec![
            Module::new("osc", "saw").with("freq", Input::Const(110.0)),
            Module::new("lfo", "sine").with("freq", Input::Const(3.0)),
            Module::new("depth", "mul")
                .with("a", Input::cable("lfo.out"))
                .with("b", Input::Const(500.0)),
            Module::new("cut", "add")
                .with("a", Input::cable("depth.out"))
                .with("b", Input::Const(900.0)),
            Module::new("vcf", "svf")
                .with("in", Input::cable("osc.out"))
                .with("cutoff", Input::cable("cut.out"))
                .with("q", Input::Const(2.0)),
        ],
        outputs: vec![Input::cable("vcf.lp"), Input::cable("osc.out")],
    }
}

#[test]
fn arithmetic_is_exact() {
    let p = Patch {
        modules: vec![
            Module::new("a", "add")
                .with("a", Input::Const(2.0))
                .with("b", Input::Const(3.0)),
            Module::new("m", "mul")
                .with("a", Input::cable("a.out"))
                .with("b", Input::Const(0.5)),
            Module::new("f", "notefreq").with("in", Input::Const(12.0)),
        ],
        outputs: vec![Input::cable("m.out"), Input::cable("f.out")],
    };
    let mut rt = compile(&p, SR, None).unwrap();
    let (l, r) = render(&mut rt, 10, 64);
    assert!(l.iter().all(|&x| x == 2.5));
    assert!(r.iter().all(|&x| (x - 523.2511).abs() < 1e-2));
}

#[test]
fn block_size_does_not_change_the_output() {
    let a = render(&mut compile(&acid(), SR, None).unwrap(), 3000, 64);
    for b in [1, 7, 33] {
        let x = render(&mut compile(&acid(), SR, None).unwrap(), 3000, b);
        assert_eq!(a, x, "block {b}");
    }
    assert!(a.0.iter().any(|x| x.abs() > 0.1));
}

#[test]
fn order_does_not_depend_on_listing_order() {
    let mut p = acid();
    p.modules.reverse();
    let a = render(&mut compile(&acid(), SR, None).unwrap(), 500, 64);
    let b = render(&mut compile(&p, SR, None).unwrap(), 500, 64);
    assert_eq!(a, b);
}

#[test]
fn feedback_through_a_delay_echoes() {
    let p = Patch {
        modules: vec![
            Module::new("env", "ahr")
                .with("attack", Input::Const(0.0))
                .with("hold", Input::Const(0.001))
                .with("release", Input::Const(0.0)),
            Module::new("sum", "add")
                .with("a", Input::cable("env.out"))
                .with("b", Input::cable("d.wet")),
            Module::new("d", "delay")
                .with("in", Input::cable("sum.out"))
                .with("time", Input::Const(0.01))
                .with("feedback", Input::Const(0.0))
                .with("damping", Input::Const(0.0)),
        ],
        outputs: vec![Input::cable("sum.out")],
    };
    let mut rt = compile(&p, SR, None).unwrap();
    let (l, _) = render(&mut rt, 4000, 64);
    // The click comes back every 10 ms (480 frames), plus at most one block of latency.
    let energy = |a: usize, b: usize| l[a..b].iter().map(|x| x * x).sum::<f32>();
    assert!(energy(0, 100) > 1.0);
    assert!(energy(600, 1100) > 1.0, "first echo");
    assert!(energy(1300, 1700) > 1.0, "second echo");
}

#[test]
fn pattern_slots_and_cycle_clock() {
    let mut k = Module::new("k", "keyframes").with("time", Input::Cycle(1.0));
    k.keys = vec![
        Key {
            time: 0.0,
            value: 0.0,
            easing: "linear".into(),
        },
        Key {
            time: 1.0,
            value: 1.0,
            easing: "linear".into(),
        },
    ];
    let p = Patch {
        modules: vec![
            k,
            Module::new("g", "gain").with("in", Input::Pattern("1 2".into())),
        ],
        outputs: vec![Input::cable("k.out"), Input::cable("g.out")],
    };
    assert_eq!(p.pattern_sources().len(), 1);
    let mut rt = compile(&p, SR, None).unwrap();
    assert_eq!(rt.pattern_slots(), 1);
    rt.pattern_slot(0).fill(0.25);
    let (l, r) = render(&mut rt, 64, 64);
    assert!(r.iter().all(|&x| x == 0.25));
    // cycle = frame / 1000 in `render`: frame 500 is cycle 0.5.
    let (l2, _) = {
        let (mut a, mut b) = ([0.0f32; 1], [0.0f32; 1]);
        rt.process(500, 0.5, 0.001, &mut a, &mut b);
        (a, b)
    };
    assert!((l[10] - 0.01).abs() < 1e-3, "{}", l[10]);
    assert!((l2[0] - 0.5).abs() < 1e-3, "{}", l2[0]);
}

#[test]
fn live_update_keeps_unchanged_oscillator_phase() {
    // Reference: the original patch, uninterrupted.
    let mut reference = compile(&acid(), SR, None).unwrap();
    let (_, ref_osc) = render(&mut reference, 4800, 64);

    let mut old = compile(&acid(), SR, None).unwrap();
    let (mut l, mut r) = (vec![0.0f32; 4800], vec![0.0f32; 4800]);
    for b in 0..30 {
        let s = b * 64;
        old.process(s as u64, 0.0, 0.0, &mut l[s..s + 64], &mut r[s..s + 64]);
    }
    // One-module change: the filter becomes a ladder (new type, so new state).
    let mut p = acid();
    p.modules[4] = Module::new("vcf", "ladder")
        .with("in", Input::cable("osc.out"))
        .with("cutoff", Input::cable("cut.out"));
    p.outputs[0] = Input::cable("vcf.out");
    let mut new = compile(&p, SR, Some(&old.layout())).unwrap();
    new.adopt_state(&mut old);
    drop(old); // on the control side in a real engine
    for b in 30..75 {
        let s = b * 64;
        new.process(s as u64, 0.0, 0.0, &mut l[s..s + 64], &mut r[s..s + 64]);
    }
    assert_eq!(r, ref_osc, "the saw went on with the same phase");

    // Without adopting, the oscillator restarts (the test can tell the difference).
    let mut fresh = compile(&p, SR, None).unwrap();
    let (_, restarted) = render(&mut fresh, 64, 64);
    assert_ne!(&restarted[..], &ref_osc[1920..1984]);
}

#[test]
fn changed_constant_applies_to_adopted_unit() {
    let mut old = compile(&acid(), SR, None).unwrap();
    render(&mut old, 640, 64);
    let mut p = acid();
    p.modules[0] = Module::new("osc", "saw").with("freq", Input::Const(220.0));
    let mut new = compile(&p, SR, Some(&old.layout())).unwrap();
    new.adopt_state(&mut old);
    let (_, r) = render(&mut new, 4800, 64);
    // 220 Hz saw: about 22 falling edges in 0.1 s (110 Hz would give 11).
    let wraps = r.windows(2).filter(|w| w[1] - w[0] < -1.0).count();
    assert!((19..=23).contains(&wraps), "{wraps}");
}
