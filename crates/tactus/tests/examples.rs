//! Every file in `examples/` checks clean and renders non-silent without clipping.

use std::path::PathBuf;

use tactus_engine::render::{render_to_vec, RenderOptions};
use tactus_engine::sounds::Sounds;
use tactus_lang::program::eval_file;

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tidal"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_renders() {
    let files = examples();
    assert!(files.len() >= 4);
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let (prog, diags) = eval_file(&src);
        let name = f.display().to_string();
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&name, &src)).collect();
        assert!(diags.is_empty(), "{}", rendered.join("\n"));
        let rate = 44_100;
        let cps = prog.cps.unwrap_or(0.5625);
        let frames = (4.0 / cps * rate as f64) as u64; // four cycles
        let opts = RenderOptions {
            sample_rate: rate,
            ..RenderOptions::default()
        };
        let (audio, stats) =
            render_to_vec(prog, Sounds::new(rate as f32, 64, 1 << 26), opts, frames);
        let rms =
            (audio.iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / audio.len() as f64).sqrt();
        assert!(stats.events > 0, "{name}: no events");
        assert!(rms > 1e-3, "{name}: silent (rms {rms})");
        assert!(stats.peak < 1.0, "{name}: clips (peak {})", stats.peak);
        assert!(
            audio.iter().all(|x| x.is_finite()),
            "{name}: non-finite output"
        );
    }
}
