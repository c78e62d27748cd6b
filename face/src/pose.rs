//! Head pose from dlib's 5-point landmarks: two points per eye (its corners) and one under the
//! nose. Yaw is estimated from where the nose sits between the eyes, relative to the distance
//! between the eyes; roll from the angle of the line through the eyes.
//!
//! Sign convention (the image as the camera took it, not mirrored): a positive yaw means the nose
//! moved towards the image's right edge — the person turned to *their* left.

use serde::{Deserialize, Serialize};

/// A point in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pose {
    /// Nose offset from the eyes' midpoint along the eye line, in inter-ocular distances.
    /// About 0 for a frontal face; ±0.15 and beyond is a clear turn.
    pub yaw: f64,
    /// Angle of the eye line from horizontal, degrees.
    pub roll_deg: f64,
    /// Distance between the eye centres, pixels.
    pub interocular: f64,
}

impl Pose {
    /// `points` in dlib's 5-point order: [eye A outer, eye A inner, eye B outer, eye B inner,
    /// nose]. Which eye is A does not matter: the eyes are ordered by x here.
    pub fn from_landmarks(points: &[Point; 5]) -> Option<Self> {
        let a = mid(points[0], points[1]);
        let b = mid(points[2], points[3]);
        let (left, right) = if a.x <= b.x { (a, b) } else { (b, a) };
        let dx = right.x - left.x;
        let dy = right.y - left.y;
        let interocular = (dx * dx + dy * dy).sqrt();
        if interocular < 1.0 {
            return None;
        }
        let centre = mid(left, right);
        let nose = points[4];
        // Projection of the nose offset onto the eye line.
        let yaw = ((nose.x - centre.x) * dx + (nose.y - centre.y) * dy) / (interocular * interocular);
        Some(Self { yaw, roll_deg: dy.atan2(dx).to_degrees(), interocular })
    }
}

fn mid(a: Point, b: Point) -> Point {
    Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn frontal_face_has_no_yaw() {
        let pose =
            Pose::from_landmarks(&[p(10.0, 50.0), p(30.0, 50.0), p(90.0, 50.0), p(70.0, 50.0), p(50.0, 80.0)]).unwrap();
        assert!(pose.yaw.abs() < 1e-9);
        assert!(pose.roll_deg.abs() < 1e-9);
        assert!((pose.interocular - 60.0).abs() < 1e-9);
    }

    #[test]
    fn nose_towards_image_right_is_positive_yaw_whatever_the_eye_order() {
        let a = [p(10.0, 50.0), p(30.0, 50.0), p(90.0, 50.0), p(70.0, 50.0), p(62.0, 80.0)];
        let b = [a[2], a[3], a[0], a[1], a[4]];
        let ya = Pose::from_landmarks(&a).unwrap().yaw;
        let yb = Pose::from_landmarks(&b).unwrap().yaw;
        assert!((ya - 0.2).abs() < 1e-9, "{ya}");
        assert!((ya - yb).abs() < 1e-9);
    }

    #[test]
    fn roll_does_not_read_as_yaw() {
        // The same frontal face rotated by 30 degrees in the image plane.
        let (s, c) = 30f64.to_radians().sin_cos();
        let rot = |x: f64, y: f64| p(x * c - y * s, x * s + y * c);
        let pts = [rot(-40.0, 0.0), rot(-20.0, 0.0), rot(40.0, 0.0), rot(20.0, 0.0), rot(0.0, 30.0)];
        let pose = Pose::from_landmarks(&pts).unwrap();
        assert!(pose.yaw.abs() < 1e-9, "{}", pose.yaw);
        assert!((pose.roll_deg - 30.0).abs() < 1e-6);
    }

    #[test]
    fn degenerate_landmarks_give_no_pose() {
        assert!(Pose::from_landmarks(&[p(1.0, 1.0); 5]).is_none());
    }
}
