import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Admission, type AdmissionClass } from '../events/admission';
import { SubmissionsBusyError } from '../events/submission-queue';

const ADMISSION_CLASS = 'vigil:admission-class';

/** The route's submission class for admission control (help is never refused). */
export const Admit = (kind: AdmissionClass) => SetMetadata(ADMISSION_CLASS, kind);

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
    const kind = this.reflector.get<AdmissionClass | undefined>(
      ADMISSION_CLASS,
      context.getHandler(),
    );
    if (!kind) return true;
    const release = this.admission.admit(kind);
    if (!release) throw new SubmissionsBusyError();
    context.switchToHttp().getResponse<Response>().once('close', release);
    return true;
  }
}
