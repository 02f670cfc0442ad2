//! Runtime tests: exact values in tiny graphs, block-size independence, feedback through a
//! delay, pattern slots, the cycle clock, and live updates that keep state.

use super::runtime::Op;
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

/// `sine 300 * level` on the left, the bare sine on the right.
fn tremolo(level: f64, freq: f64) -> Patch {
    Patch {
        modules: vec![
            Module::new("osc", "sine").with("freq", Input::Const(freq)),
            Module::new("vca", "mul")
                .with("a", Input::cable("osc.out"))
                .with("b", Input::Const(level)),
        ],
        outputs: vec![Input::cable("vca.out"), Input::cable("osc.out")],
    }
}

fn max_step(x: &[f32]) -> f32 {
    x.windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0, f32::max)
}

/// Renders 20 blocks of `a`, then updates to `b` (adopting state) and renders 60 more.
fn update(a: &Patch, b: &Patch, adopt: bool) -> (Vec<f32>, Vec<f32>, Runtime) {
    let mut old = compile(a, SR, None).unwrap();
    let (mut l, mut r) = (vec![0.0f32; 80 * 64], vec![0.0f32; 80 * 64]);
    for k in 0..20 {
        let s = k * 64;
        old.process(s as u64, 0.0, 0.0, &mut l[s..s + 64], &mut r[s..s + 64]);
    }
    let mut new = compile(b, SR, adopt.then(|| old.layout()).as_ref()).unwrap();
    if adopt {
        new.adopt_state(&mut old);
    }
    for k in 20..80 {
        let s = k * 64;
        new.process(s as u64, 0.0, 0.0, &mut l[s..s + 64], &mut r[s..s + 64]);
    }
    (l, r, new)
}

#[test]
fn a_changed_constant_glides_instead_of_jumping() {
    let (l, r, new) = update(&tremolo(0.1, 310.0), &tremolo(0.9, 310.0), true);
    // a sine at 310 Hz and level <= 0.9 moves at most 0.9 * 2 pi 310 / 48000 = 0.037 per
    // sample; the ramp (0.8 over 30 ms = 1440 frames) adds 0.0006
    assert!(max_step(&l) < 0.04, "step {}", max_step(&l));
    // the glide ends at the new level
    let tail = l[70 * 64..].iter().fold(0.0f32, |m, x| m.max(x.abs()));
    assert!((tail - 0.9).abs() < 0.01, "{tail}");
    assert_eq!(new.gliding(), 0);
    // the unchanged oscillator went on with the same phase
    let mut reference = compile(&tremolo(0.1, 310.0), SR, None).unwrap();
    let (_, ref_osc) = render(&mut reference, 80 * 64, 64);
    assert_eq!(r, ref_osc);
    // and the level really changed where the update landed: a jump would show there
    // (a jump from 0.1 to 0.9 times the sine there would be a step of 0.8 |sine|)
    let at = 20 * 64;
    assert!(0.8 * ref_osc[at].abs() > 0.5, "the test could not tell");
    // without adopting (a restart) the output differs from the glide
    let (l_restart, _, _) = update(&tremolo(0.1, 310.0), &tremolo(0.9, 310.0), false);
    assert_ne!(l_restart[at..], l[at..]);
}

#[test]
fn a_changed_frequency_glides_at_audio_rate_then_settles() {
    let (_, r, new) = update(&tremolo(0.5, 200.0), &tremolo(0.5, 2000.0), true);
    // instantaneous frequency from the phase increments: asin differences are awkward, so
    // count zero crossings per window instead: rising through the glide
    let crossings = |a: usize, b: usize| {
        r[a..b]
            .windows(2)
            .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
            .count()
    };
    let at = 20 * 64;
    let glide = (0.03 * SR) as usize;
    let first = crossings(at, at + glide / 2);
    let second = crossings(at + glide / 2, at + glide);
    let after = crossings(at + glide, at + 2 * glide);
    assert!(first < second && second < after, "{first} {second} {after}");
    // 2000 Hz over 30 ms = 60 cycles once settled
    assert!((58..=61).contains(&after), "{after}");
    assert_eq!(new.gliding(), 0);
    // the spare input was disconnected: the unit plays its parameter again
    let osc = new.nodes.iter().find(|n| n.id == "osc").unwrap();
    assert!(osc.inputs[0].is_none());
}

#[test]
fn a_block_rate_parameter_glides_per_block() {
    let ladder = |res: f64| Patch {
        modules: vec![
            Module::new("osc", "saw").with("freq", Input::Const(110.0)),
            Module::new("vcf", "ladder")
                .with("in", Input::cable("osc.out"))
                .with("resonance", Input::Const(res)),
        ],
        outputs: vec![Input::cable("vcf.out")],
    };
    let mut old = compile(&ladder(0.1), SR, None).unwrap();
    render(&mut old, 640, 64);
    let mut new = compile(&ladder(0.9), SR, Some(&old.layout())).unwrap();
    new.adopt_state(&mut old);
    let res = |rt: &Runtime| match &rt.nodes.iter().find(|n| n.id == "vcf").unwrap().op {
        Op::Unit(u) => u.get_param(1),
        _ => unreachable!(),
    };
    let mut seen = vec![res(&new)];
    for _ in 0..30 {
        render(&mut new, 64, 64);
        seen.push(res(&new));
    }
    assert!((seen[0] - 0.1).abs() < 1e-6, "{seen:?}");
    assert!(
        seen.windows(2).all(|w| w[1] >= w[0] && w[1] - w[0] < 0.05),
        "{seen:?}"
    );
    assert!((seen[30] - 0.9).abs() < 1e-6, "{seen:?}");
}

#[test]
fn bus_slots_feed_inputs() {
    let p = Patch {
        modules: vec![Module::new("g", "gain")
            .with("in", Input::Bus("lfo".into()))
            .with("gain", Input::Const(2.0))],
        outputs: vec![Input::cable("g.out"), Input::Bus("lfo".into())],
    };
    let mut rt = compile(&p, SR, None).unwrap();
    assert_eq!(rt.bus_names(), ["lfo".to_string()]);
    for (i, x) in rt.bus_slot(0).iter_mut().enumerate() {
        *x = i as f32 / 64.0;
    }
    let (l, r) = render(&mut rt, 64, 64);
    assert_eq!(l[32], 1.0);
    assert_eq!(r[32], 0.5);
}
