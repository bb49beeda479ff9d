/**
 * Object stores for the lake and the input: S3 and S3-compatible stores through Beam's AWS SDK v2
 * filesystem.
 */
package dev.intake.pipeline.storage;
