/** Kubernetes object names as Backstage's forms check them (DNS labels). */
import { z } from "zod";

export const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const nameSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "Give it a name: lower-case letters, digits and -")
    .max(max, `At most ${max} characters`)
    .regex(NAME, "Only lower-case letters, digits and - (not at the start or end)");
