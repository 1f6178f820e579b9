// What an operator sets up by hand around an AWS site or NAT pair, as
// intents: the failover scripts' IAM policy, the interfaces that forward, the
// security groups' ingress rules.
import type { AwsTarget } from '../failover/model.js';

/** One network interface (or single-interface instance) whose source/destination check must be off. */
export interface ForwardingInterface {
  device: string;
  /** lan, wan, or the whole instance when its interfaces are not named. */
  what: 'lan' | 'wan' | 'instance';
  target: AwsTarget;
}

/** An ingress rule a node's security group needs (the EC2 IpPermission shape). */
export interface IngressRule {
  protocol: 'tcp' | 'udp' | 'icmp' | '50' | '112' | '-1';
  /** Port range; ICMP: type and code (-1 = all); none for ESP, VRRP and all traffic. */
  from?: number;
  to?: number;
  /** IPv4 or IPv6 (rendered under IpRanges or Ipv6Ranges). */
  cidr: string;
  description: string;
}

/**
 * What an operator creates around one AWS site or NAT pair: the failover
 * scripts' IAM policy, the interfaces that forward, the security groups.
 */
export interface AwsSetupIntent {
  /** The site's or NAT pair's name: it names the files. */
  name: string;
  kind: 'site' | 'nat pair';
  region: string;
  policy: IamStatement[];
  forwarding: ForwardingInterface[];
  ingress: { device: string; rules: IngressRule[] }[];
}

export interface IamStatement {
  sid: string;
  actions: string[];
  resources: string[];
  condition?: Record<string, Record<string, string>>;
}
