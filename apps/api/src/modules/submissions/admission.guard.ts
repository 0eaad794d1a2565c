import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Admission, type AdmissionClass } from '../events/admission';
import { SubmissionsBusyError } from '../events/submission-queue';

const ADMISSION_CLASS = 'vigil:admission-class';

/** A class read from the raw (parsed JSON, not yet validated) body, e.g. `vitalsAdmissionClass`. */
type ClassOfBody = (body: unknown) => AdmissionClass;

/**
 * The route's submission class for admission control (help and urgent are never refused), or how
 * to tell it from the body: a vitals post holding an alert-worthy reading is urgent.
 */
export const Admit = (kind: AdmissionClass | ClassOfBody) => SetMetadata(ADMISSION_CLASS, kind);

/**
 * Admission control for the REST submission routes, as the socket handlers do it: guards run
 * before the body is validated and before the handler's access check, so a refusal (503 with
 * Retry-After) costs next to nothing. The ticket is released when the response is done.
 */
@Injectable()
export class AdmissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly admission: Admission,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const admit = this.reflector.get<AdmissionClass | ClassOfBody | undefined>(
      ADMISSION_CLASS,
      context.getHandler(),
    );
    if (!admit) return true;
    const http = context.switchToHttp();
    // The body parsers (middleware) have run before any guard: the JSON is there, unvalidated.
    const kind = typeof admit === 'function' ? admit(http.getRequest<Request>().body) : admit;
    const release = this.admission.admit(kind);
    if (!release) throw new SubmissionsBusyError();
    http.getResponse<Response>().once('close', release);
    return true;
  }
}
